/// The vocabulary of a rule's `when:` list: named predicates over ``ApplicationFacts`` that read the
/// policy's thresholds and lists. Each evaluation says, with the figures, why it holds or not.
package enum PolicyCondition: String, Codable, Sendable, CaseIterable, Hashable {
    case refundOnly = "refund_only"
    case returnAndRefund = "return_and_refund"
    case exchange = "exchange"
    /// The order is created or paid: nothing has left the seller.
    case orderNotShipped = "order_not_shipped"
    case reasonNoReason = "reason_no_reason"
    /// The reason is in `reasons.evidence_required`.
    case reasonNeedsEvidence = "reason_needs_evidence"
    case noPhotoOrVideo = "no_photo_or_video"
    /// Delivered, and no longer ago than `thresholds.no_reason_window`.
    case withinNoReasonWindow = "within_no_reason_window"
    /// No line's category is in `categories.no_reason_excluded`.
    case noExcludedCategory = "no_excluded_category"
    case requestedAboveRefundable = "requested_above_refundable"
    /// A line would have more than `thresholds.max_cases_per_line` cases with this one.
    case lineCaseLimitReached = "line_case_limit_reached"
    /// The requested amount is above `thresholds.seller_review_above` for its currency.
    case requestedAboveReviewThreshold = "requested_above_review_threshold"
    /// The buyer has at least `refund_rate_min_orders` orders in 90 days and refunded at least
    /// `high_refund_rate_bps` of what they paid.
    case buyerRefundRateHigh = "buyer_refund_rate_high"
}

/// One condition's result in a decision.
package struct ConditionResult: Codable, Sendable, Hashable {
    package let condition: PolicyCondition
    package let holds: Bool
    /// Why, with the figures.
    package let detail: String
}
