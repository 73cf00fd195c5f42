/// Figures derived from ``ApplicationFacts`` that conditions and sentences show: integer arithmetic
/// only (rates in basis points, days rounded down).
struct FactFigures {
    let facts: ApplicationFacts
    let policy: ReviewPolicy

    /// Whole days since delivery, or nil when the order was not delivered (or in the future).
    var daysSinceDelivery: Int64? {
        guard let delivered = facts.deliveredAtMicros, facts.nowMicros >= delivered else { return nil }
        return (facts.nowMicros - delivered) / 86_400_000_000
    }

    /// Microseconds since delivery, or nil.
    var microsSinceDelivery: Int64? {
        guard let delivered = facts.deliveredAtMicros, facts.nowMicros >= delivered else { return nil }
        return facts.nowMicros - delivered
    }

    /// The line with the most cases before this one.
    var busiestLine: ApplicationFacts.Line? {
        facts.lines.max { $0.casesBefore < $1.casesBefore }
    }

    /// The seller-review threshold for the requested currency.
    var reviewThreshold: Amount? {
        policy.thresholds.sellerReviewAbove[facts.requested.currency].map { Amount($0, facts.requested.currency) }
    }

    /// The buyer's 90-day refund rate in basis points (capped at 10000), nil when it cannot be
    /// computed (nothing paid, or refunds in another currency).
    var refundRateBps: Int64? {
        let paid = facts.buyer.paid
        let refunded = facts.buyer.refunded
        guard paid.minor > 0, refunded.minor >= 0, paid.currency == refunded.currency || refunded.minor == 0 else {
            return nil
        }
        if refunded.minor >= paid.minor { return 10_000 }
        let product = refunded.minor.multipliedFullWidth(by: 10_000)
        return paid.minor.dividingFullWidth(product).quotient
    }

    /// `"45.00%"` for 4500 basis points.
    static func percent(_ bps: Int64) -> String {
        let hundredths = bps % 100
        return "\(bps / 100).\(hundredths < 10 ? "0" : "")\(hundredths)%"
    }
}
