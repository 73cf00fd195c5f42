/// What the automatic review decides for a new case (docs/machines.md, `evaluate`).
package enum ReviewOutcome: String, Codable, Sendable, CaseIterable, Hashable {
    /// Approved at once (APPROVED).
    case approve
    /// The buyer must add evidence first (AWAITING_EVIDENCE).
    case needsEvidence = "needs_evidence"
    /// The seller decides (PENDING_SELLER).
    case sellerReview = "seller_review"
    /// Refused as invalid (CLOSED_REJECTED).
    case ineligible
}
