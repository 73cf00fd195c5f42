import AftercareAftersalesAPI
import AftercareRPC
import AftercareGatewayAPI

/// The case actions that need nothing but the case and its version, for
/// ``AftercareClient/act(_:onCase:options:)``.
public enum CaseAction: String, Sendable, Hashable, CaseIterable {
    // The buyer's.
    case withdraw, acceptOffer, declineOffer, escalate, acceptRejection, acceptPartial
    // The seller's.
    case approve, confirmReceipt
    // The platform's.
    case ruleForSeller

    /// The gateway method it calls.
    var method: MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse> {
        switch self {
        case .withdraw: GatewayMethods.withdraw
        case .acceptOffer: GatewayMethods.acceptOffer
        case .declineOffer: GatewayMethods.declineOffer
        case .escalate: GatewayMethods.escalate
        case .acceptRejection: GatewayMethods.acceptRejection
        case .acceptPartial: GatewayMethods.acceptPartial
        case .approve: GatewayMethods.approve
        case .confirmReceipt: GatewayMethods.confirmReceipt
        case .ruleForSeller: GatewayMethods.ruleForSeller
        }
    }
}
