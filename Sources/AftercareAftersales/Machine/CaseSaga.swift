/// The gateway's sagas that move a case (docs/sagas.md). A state may start one on entry; each
/// ends by recording its outcome on the case (a ``CaseEvent`` of ``CaseEvent/Source/saga(_:)``).
public enum CaseSaga: String, Codable, Sendable, CaseIterable, Hashable {
    case refund = "Refund"
    case returnSetup = "Return setup"
    case returnCancellation = "Return cancellation"
    case carrierProgress = "Carrier progress"
    case returnToBuyer = "Return to buyer"
    case exchangeFulfilment = "Exchange fulfilment"
}
