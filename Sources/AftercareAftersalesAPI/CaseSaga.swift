/// The gateway's sagas that move a case (docs/sagas.md), named once for both sides: aftersales asks
/// for one by this name (`SagaRequested.saga`) when a state starts it on entry, and the gateway runs
/// the definition of that name; each ends by recording its outcome on the case.
public enum CaseSaga: String, Codable, Sendable, CaseIterable, Hashable {
    case refund = "Refund"
    case returnSetup = "Return setup"
    case returnCancellation = "Return cancellation"
    case carrierProgress = "Carrier progress"
    case returnToBuyer = "Return to buyer"
    case exchangeFulfilment = "Exchange fulfilment"
}
