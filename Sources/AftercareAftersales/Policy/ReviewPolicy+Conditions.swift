extension ReviewPolicy {
    /// Evaluates one condition against the facts, with the figures that decided it.
    func evaluate(_ condition: PolicyCondition, _ facts: ApplicationFacts) -> ConditionResult {
        let figures = FactFigures(facts: facts, policy: self)
        func result(_ holds: Bool, _ detail: String) -> ConditionResult {
            ConditionResult(condition: condition, holds: holds, detail: detail)
        }
        switch condition {
        case .refundOnly, .returnAndRefund, .exchange:
            return result(facts.kind.rawValue == condition.rawValue, "the case is \(facts.kind.rawValue)")
        case .orderNotShipped:
            return result(facts.orderStatus.isUnshipped, "the order is \(facts.orderStatus.rawValue)")
        case .reasonNoReason:
            return result(facts.reason == .noReason7d, "the reason is \(facts.reason.rawValue)")
        case .reasonNeedsEvidence:
            let needs = self.evidenceRequiredReasons.contains(facts.reason)
            return result(needs, "the reason \(facts.reason.rawValue) \(needs ? "needs" : "does not need") a photo or video")
        case .noPhotoOrVideo:
            let count = facts.evidence.photos + facts.evidence.videos
            return result(count == 0, "\(facts.evidence.photos) photos and \(facts.evidence.videos) videos attached")
        case .withinNoReasonWindow:
            let window = PolicyDuration(seconds: self.thresholds.noReasonWindowSeconds)
            guard let since = figures.microsSinceDelivery, let days = figures.daysSinceDelivery else {
                return result(false, "the order has not been delivered")
            }
            let (windowMicros, overflow) = self.thresholds.noReasonWindowSeconds.multipliedReportingOverflow(by: 1_000_000)
            guard self.thresholds.noReasonWindowFrom == .completion else {
                return result(overflow || since <= windowMicros, "delivered \(days) days ago, window \(window)")
            }
            guard let completed = facts.completedAtMicros, facts.nowMicros >= completed else {
                return result(true, "delivered \(days) days ago, not completed: the window (\(window) from completion) has not begun")
            }
            let sinceCompletion = facts.nowMicros - completed
            return result(
                overflow || sinceCompletion <= windowMicros,
                "completed \(sinceCompletion / 86_400_000_000) days ago, window \(window) from completion")
        case .noExcludedCategory:
            let excluded = facts.lines.map(\.category).filter { self.noReasonExcludedCategories.contains($0) }
            return result(
                excluded.isEmpty,
                excluded.isEmpty ? "no excluded category" : "excluded categories: \(excluded.joined(separator: ", "))")
        case .requestedAboveRefundable:
            let requested = facts.requested
            let refundable = facts.refundable
            if requested.currency != refundable.currency {
                return result(true, "requested in \(requested.currency), refundable in \(refundable.currency)")
            }
            let above = requested.minor > refundable.minor
            return result(above, "requested \(requested) \(above ? ">" : "≤") refundable \(refundable)")
        case .lineCaseLimitReached:
            let limit = self.thresholds.maxCasesPerLine
            guard let line = figures.busiestLine else { return result(false, "no order line") }
            let reached = line.casesBefore >= limit
            return result(reached, "line \(line.orderLineID) has \(line.casesBefore) cases before this one, limit \(limit)")
        case .requestedAboveReviewThreshold:
            guard let threshold = figures.reviewThreshold else {
                return result(false, "no threshold for \(facts.requested.currency)")
            }
            let above = facts.requested.minor > threshold.minor
            return result(above, "requested \(facts.requested) \(above ? ">" : "≤") threshold \(threshold)")
        case .buyerRefundRateHigh:
            let buyer = facts.buyer
            let figuresText = "\(buyer.refunded) refunded of \(buyer.paid) paid on \(buyer.orders) orders in 90 days"
            guard let rate = figures.refundRateBps else {
                return result(false, "\(figuresText): no refund rate")
            }
            let enoughOrders = buyer.orders >= self.thresholds.refundRateMinOrders
            let high = enoughOrders && rate >= self.thresholds.highRefundRateBps
            return result(
                high,
                "\(figuresText) = \(FactFigures.percent(rate)), high from \(FactFigures.percent(self.thresholds.highRefundRateBps))"
                    + " with at least \(self.thresholds.refundRateMinOrders) orders")
        }
    }
}
