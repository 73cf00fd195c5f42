import AftercareFeedbackAPI
import AftercareRPC
import AftercareServiceKit
import Logging

/// What the gateway tells feedback: deliveries (its relay of logistics' feed). The cases on order
/// lines come from aftersales' feed (Reviews+Cases.swift).
extension Reviews {
    /// Creates the line's review in ELIGIBLE with T_review started from the delivery (paused at once
    /// when a case on the line is open). Idempotent by (order line, delivery).
    func recordDelivery(_ request: Aftercare_Feedback_V1_RecordDeliveryRequest, context: ServerContext, in db: any SQLConnection) throws
        -> Aftercare_Feedback_V1_Review
    {
        if let existing = try self.store.review(orderID: request.orderID, lineID: request.lineID, in: db) {
            guard existing.deliveryID == request.deliveryID else {
                throw RPCError(
                    .alreadyExists,
                    "delivery_id: order \(request.orderID) line \(request.lineID) already has review \(existing.reviewID) from delivery \(existing.deliveryID)",
                    outcome: .notExecuted)
            }
            return try self.answer(try self.loadForChange(existing.reviewID, context: context, in: db), in: db)
        }
        let now = self.clock.nowMicros
        var review = ReviewRecord(
            reviewID: RecordID.make("rev", atMicros: now), orderID: request.orderID, lineID: request.lineID,
            deliveryID: request.deliveryID, productID: request.productID, buyerID: request.buyerID, sellerID: request.sellerID,
            status: ReviewStatus(.eligible), deliveredAtMicros: request.deliveredAtUnixMicros,
            promisedDeliveryMicros: request.promisedDeliveryUnixMicros,
            timer: .started(deliveredAtMicros: request.deliveredAtUnixMicros), createdAtMicros: now, updatedAtMicros: now)
        let openCases = try self.store.openCaseIDs(orderID: review.orderID, lineID: review.lineID, in: db)
        _ = try self.pauseIfCasesOpen(&review, openCases: openCases.count)
        guard try self.store.insert(review, in: db) else {
            throw RPCError(
                .aborted, "order \(request.orderID) line \(request.lineID): its review was created concurrently; retry", outcome: .notExecuted)
        }
        try self.publish(review, as: FeedbackEventTypes.eligible, context: context, in: db)
        try self.expireIfDue(&review, context: context, in: db)
        context.logger.info(
            "order line eligible for review",
            metadata: [
                "review.id": "\(review.reviewID)", "order.id": "\(review.orderID)", "order.line_id": "\(review.lineID)",
                "review.deadline_micros": "\(review.timer.deadlineMicros)", "review.timer_paused": "\(review.timer.pausedAtMicros != nil)",
            ])
        return try self.answer(review, in: db)
    }
}
