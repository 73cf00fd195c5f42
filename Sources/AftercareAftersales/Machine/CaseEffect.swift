package import AftercareAftersalesAPI

/// What a transition asks the service to do, as data. The service performs the effects of a
/// ``CaseTransition`` in order, in the same database transaction as the state change.
package enum CaseEffect: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Where a new case amount comes from.
    package enum AmountSource: String, Codable, Sendable, Hashable {
        /// The seller's counter-offer the buyer accepted.
        case counterOffer = "counter_offer"
        /// What the seller's inspection accepted.
        case inspected
        /// The platform's ruling for the buyer.
        case ruling
        /// The whole amount the case was approved for, nothing taken off (a carrier lost the
        /// return: not the buyer's loss).
        case fullApproved = "full_approved"
    }

    /// Store the review decision (policy version, facts, rules, sentence) on the case.
    case recordDecision
    /// Run the review again (the case is back in REQUESTED with new evidence).
    case evaluateAgain
    /// Start (or restart) a durable timer; its deadline is now + the policy's duration.
    case startTimer(CaseTimer)
    /// Stop a timer of the state being left.
    case stopTimer(CaseTimer)
    /// Emit the event from which the gateway starts the saga.
    case startSaga(CaseSaga)
    /// Set the case's amount.
    case setAmount(AmountSource)
    /// Record the seller's counter-offer.
    case recordOffer
    /// Open a linked case of this kind in APPROVED, with the same line and evidence.
    case openLinkedCase(CaseKind)
    /// Mark the buyer's one escalation as used.
    case useEscalation
    /// Record the party the platform asked for evidence.
    case recordEvidenceRequest
    /// The evidence window closed: the platform rules on what it has.
    case closeEvidenceWindow
    /// Record the return label (Return setup).
    case recordLabel
    /// Record a tracking number (back-to-buyer or replacement shipment).
    case recordTracking
    /// Keep the carrier event in the case history.
    case recordCarrierEvent
    /// Record that the carrier has the return, which no carrier event of its pick-up said: a
    /// delivery came before its pick-up, or the cancellation came too late to stop it.
    case implyPickUp
    /// Record what started the return's cancellation (decides how it closes).
    case recordCancellation
    /// Record the per-line inspection (received_ok, damaged, wrong_item, short).
    case recordInspection
    /// Accept every returned line as received (the seller let a timer fire).
    case acceptEveryLine
    /// Record why the refund failed (the provider's reason, or nothing refundable).
    case recordFailureReason
    /// Record the reference of a manual payout (the new Refund saga uses the manual channel).
    case recordManualPayout

    package var description: String {
        switch self {
        case .recordDecision: "record decision"
        case .evaluateAgain: "evaluate again"
        case .startTimer(let timer): "start \(timer.rawValue)"
        case .stopTimer(let timer): "stop \(timer.rawValue)"
        case .startSaga(let saga): "start saga \(saga.rawValue)"
        case .setAmount(let source): "set amount (\(source.rawValue))"
        case .recordOffer: "record offer"
        case .openLinkedCase(let kind): "open linked \(kind.rawValue) case in APPROVED"
        case .useEscalation: "use escalation"
        case .recordEvidenceRequest: "record evidence request"
        case .closeEvidenceWindow: "close evidence window"
        case .recordLabel: "record label"
        case .recordTracking: "record tracking"
        case .recordCarrierEvent: "record carrier event"
        case .implyPickUp: "imply pick-up"
        case .recordCancellation: "record cancellation cause"
        case .recordInspection: "record inspection"
        case .acceptEveryLine: "accept every line"
        case .recordFailureReason: "record failure reason"
        case .recordManualPayout: "record manual payout"
        }
    }
}
