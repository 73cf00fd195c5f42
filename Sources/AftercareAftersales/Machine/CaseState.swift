/// Every state a case can be in, across the three kinds (docs/machines.md). Which of them a kind
/// uses, and which are terminal, is the kind's ``CaseMachine``'s business.
package enum CaseState: String, Codable, Sendable, CaseIterable, Hashable, Comparable {
    case requested = "REQUESTED"
    case awaitingEvidence = "AWAITING_EVIDENCE"
    case pendingSeller = "PENDING_SELLER"
    case negotiating = "NEGOTIATING"
    case rejected = "REJECTED"
    case escalated = "ESCALATED"
    case approved = "APPROVED"
    case refundApproved = "REFUND_APPROVED"
    case refunding = "REFUNDING"
    case refunded = "REFUNDED"
    case refundFailed = "REFUND_FAILED"
    case awaitingReturnShipment = "AWAITING_RETURN_SHIPMENT"
    case returnCancelling = "RETURN_CANCELLING"
    case returnInTransit = "RETURN_IN_TRANSIT"
    case returnDelivered = "RETURN_DELIVERED"
    case inspecting = "INSPECTING"
    case receiptDisputed = "RECEIPT_DISPUTED"
    case escalatedHeld = "ESCALATED_HELD"
    case returningToBuyer = "RETURNING_TO_BUYER"
    case returnAccepted = "RETURN_ACCEPTED"
    case replacementShipped = "REPLACEMENT_SHIPPED"
    case conversionOffered = "CONVERSION_OFFERED"
    case exchanged = "EXCHANGED"
    case converted = "CONVERTED"
    case closedRejected = "CLOSED_REJECTED"
    case closedWithdrawn = "CLOSED_WITHDRAWN"
    case closedExpired = "CLOSED_EXPIRED"

    /// Declaration order, so documents and tests list states as the specification does.
    package static func < (lhs: CaseState, rhs: CaseState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
