/// The durable timers of a case (docs/machines.md, "Timers"). A firing is a ``CaseEvent``.
/// The review policy may change the durations; ``defaultSeconds`` are the specification's.
package enum CaseTimer: String, Codable, Sendable, CaseIterable, Hashable {
    /// The seller answers an application (then it is approved).
    case seller = "T_seller"
    /// The buyer adds the evidence the review asked for (then the case is withdrawn).
    case evidence = "T_evidence"
    /// The buyer answers a counter-offer or a conversion offer.
    case offer = "T_offer"
    /// The buyer escalates a refusal to the platform.
    case escalate = "T_escalate"
    /// A party sends the evidence the platform asked for.
    case arbiter = "T_arbiter"
    /// The buyer ships the return.
    case ship = "T_ship"
    /// The seller confirms receipt after the carrier says delivered.
    case confirm = "T_confirm"
    /// The seller inspects the returned goods.
    case inspect = "T_inspect"

    /// The specification's default duration, in seconds.
    package var defaultSeconds: Int64 {
        let hour: Int64 = 3600
        switch self {
        case .seller: return 48 * hour
        case .evidence, .offer, .arbiter: return 72 * hour
        case .escalate, .ship, .confirm: return 7 * 24 * hour
        case .inspect: return 48 * hour
        }
    }

    /// What the timer waits for, for the generated document.
    package var purpose: String {
        switch self {
        case .seller: "seller response"
        case .evidence: "buyer evidence"
        case .offer: "buyer answer to a counter-offer or a conversion offer"
        case .escalate: "buyer escalation"
        case .arbiter: "evidence the platform asked for"
        case .ship: "buyer ships the return"
        case .confirm: "seller confirms receipt after delivery"
        case .inspect: "seller inspection"
        }
    }
}
