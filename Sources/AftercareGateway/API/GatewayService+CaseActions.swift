import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareRPC
import AftercareServiceKit
import SwiftProtobuf

extension GatewayService {
    func registerCaseActions(in router: inout RPCRouter) {
        let action = \Aftercare_Aftersales_V1_CaseActionRequest.self
        // The buyer's.
        self.forward(GatewayMethods.withdraw, AftersalesMethods.withdraw, by: .buyer, action: action, in: &router)
        self.forward(GatewayMethods.acceptOffer, AftersalesMethods.acceptOffer, by: .buyer, action: action, in: &router)
        self.forward(GatewayMethods.declineOffer, AftersalesMethods.declineOffer, by: .buyer, action: action, in: &router)
        self.forward(GatewayMethods.escalate, AftersalesMethods.escalate, by: .buyer, action: action, in: &router)
        self.forward(GatewayMethods.acceptRejection, AftersalesMethods.acceptRejection, by: .buyer, action: action, in: &router)
        self.forward(GatewayMethods.acceptPartial, AftersalesMethods.acceptPartial, by: .buyer, action: action, in: &router)
        // The seller's.
        self.forward(GatewayMethods.approve, AftersalesMethods.approve, by: .seller, action: action, in: &router)
        self.forward(GatewayMethods.reject, AftersalesMethods.reject, by: .seller, action: \.action, in: &router)
        self.forward(GatewayMethods.counterOffer, AftersalesMethods.counterOffer, by: .seller, action: \.action, in: &router)
        self.forward(GatewayMethods.confirmReceipt, AftersalesMethods.confirmReceipt, by: .seller, action: action, in: &router)
        self.forward(GatewayMethods.inspect, AftersalesMethods.inspect, by: .seller, action: \.action, in: &router)
        self.forward(GatewayMethods.disputeReceipt, AftersalesMethods.disputeReceipt, by: .seller, action: \.action, in: &router)
        // The platform's.
        self.forward(GatewayMethods.requestEvidence, AftersalesMethods.requestEvidence, by: .platform, action: \.action, in: &router)
        self.forward(GatewayMethods.ruleForBuyer, AftersalesMethods.ruleForBuyer, by: .platform, action: \.action, in: &router)
        self.forward(GatewayMethods.ruleForSeller, AftersalesMethods.ruleForSeller, by: .platform, action: action, in: &router)
    }

    /// Registers `method` as `actor`'s action on a case: the caller must act as `actor` and — a
    /// buyer or seller — be the case's; `actor_id` is filled from the actor; then aftersales'
    /// `target` is called under the caller's key.
    private func forward<Request: SwiftProtobuf.Message>(
        _ method: MethodDescriptor<Request, Aftercare_Aftersales_V1_CaseResponse>,
        _ target: MethodDescriptor<Request, Aftercare_Aftersales_V1_CaseResponse>,
        by actor: GatewayActor.Kind,
        action: any WritableKeyPath<Request, Aftercare_Aftersales_V1_CaseActionRequest> & Sendable,
        in router: inout RPCRouter
    ) {
        let field = Request.self == Aftercare_Aftersales_V1_CaseActionRequest.self ? "actor_id" : "action.actor_id"
        router.unary(method) { request, context in
            let caller = try self.access.caller(context, actors: [actor])
            var request = request
            _ = try await self.caseRecord(request[keyPath: action].caseID, for: caller, context)
            request[keyPath: action].actorID = try caller.own(request[keyPath: action].actorID, field)
            return try await self.peers.aftersales.unary(target, request, options: try GatewayPeers.options(context, keyFor: target))
        }
    }
}
