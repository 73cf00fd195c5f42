import AftercareFeedbackAPI
import AftercareRPC
import AftercareServiceKit
import GRDB
import Logging

/// What the gateway tells feedback: deliveries and the cases on order lines.
extension Reviews {
    /// Creates the line's review in ELIGIBLE with T_review started from the delivery (paused at once
    /// when a case on the line is open). Idempotent by (order line, delivery).
    func recordDelivery(_ request: Aftercare_Feedback_V1_RecordDeliveryRequest, context: ServerContext, in db: Database) throws
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

    /// Records a case opened on a line (a case may cover several lines of its order); the first open
    /// case of an ELIGIBLE review pauses its timer. Idempotent by case and line. Answers the line's
    /// review, or an empty one when the line has none.
    func caseOpened(_ request: Aftercare_Feedback_V1_RecordCaseOpenedRequest, context: ServerContext, in db: Database) throws
        -> Aftercare_Feedback_V1_Review
    {
        if let other = try self.store.lineCases(request.caseID, in: db).first(where: { $0.orderID != request.orderID }) {
            throw RPCError.invalidField("case_id", "case \(request.caseID) was recorded on order \(other.orderID)")
        }
        let lineCase = LineCaseRecord(
            caseID: request.caseID, orderID: request.orderID, lineID: request.lineID, openedAtMicros: self.clock.nowMicros)
        guard try self.store.insert(lineCase, in: db) else {
            return try self.lineReview(orderID: request.orderID, lineID: request.lineID, context: context, in: db) { _, _ in false }
        }
        return try self.lineReview(orderID: request.orderID, lineID: request.lineID, context: context, in: db) { review, openCases in
            try self.pauseIfCasesOpen(&review, openCases: openCases)
        } announce: { review in
            try self.publishCase(lineCase, review: review, as: FeedbackEventTypes.caseOpened, context: context, in: db)
        }
    }

    /// Records a case closed on every line it was opened on; on each line where it was the last
    /// open case, an ELIGIBLE review's timer resumes. Idempotent by case id; NOT_FOUND naming
    /// `case_id` for a case never opened. Answers the review of the case's first line (by line id).
    func caseClosed(_ request: Aftercare_Feedback_V1_RecordCaseClosedRequest, context: ServerContext, in db: Database) throws
        -> Aftercare_Feedback_V1_Review
    {
        let lineCases = try self.store.lineCases(request.caseID, in: db)
        guard !lineCases.isEmpty else {
            throw RPCError.notFound("case_id", kind: "case recorded as opened", id: request.caseID)
        }
        let now = self.clock.nowMicros
        var answers: [Aftercare_Feedback_V1_Review] = []
        for var lineCase in lineCases {
            guard lineCase.closedAtMicros == nil, try self.store.close(caseID: request.caseID, lineID: lineCase.lineID, atMicros: now, in: db) else {
                answers.append(try self.lineReview(orderID: lineCase.orderID, lineID: lineCase.lineID, context: context, in: db) { _, _ in false })
                continue
            }
            lineCase.closedAtMicros = now
            answers.append(
                try self.lineReview(orderID: lineCase.orderID, lineID: lineCase.lineID, context: context, in: db) { review, openCases in
                    try self.resumeIfNoCaseOpen(&review, openCases: openCases)
                } announce: { review in
                    try self.publishCase(lineCase, review: review, as: FeedbackEventTypes.caseClosed, context: context, in: db)
                })
        }
        return answers.first ?? Aftercare_Feedback_V1_Review()
    }

    /// The line's review after `change` (given the number of open cases on the line; `true` when it
    /// changed the review, which is then stored), with `announce` called on the result; an empty
    /// review when the line has none.
    private func lineReview(
        orderID: String, lineID: String, context: ServerContext, in db: Database,
        change: (inout ReviewRecord, Int) throws -> Bool,
        announce: (ReviewRecord?) throws -> Void = { _ in }
    ) throws -> Aftercare_Feedback_V1_Review {
        guard let found = try self.store.review(orderID: orderID, lineID: lineID, in: db) else {
            try announce(nil)
            return Aftercare_Feedback_V1_Review()
        }
        var review = try self.loadForChange(found.reviewID, context: context, in: db)
        let openCases = try self.store.openCaseIDs(orderID: orderID, lineID: lineID, in: db).count
        if try change(&review, openCases) {
            try self.store.update(review, in: db)
        }
        try announce(review)
        return try self.answer(review, in: db)
    }

    private func publishCase(_ lineCase: LineCaseRecord, review: ReviewRecord?, as type: String, context: ServerContext, in db: Database) throws {
        var change = Aftercare_Feedback_V1_LineCaseChanged()
        change.caseID = lineCase.caseID
        change.orderID = lineCase.orderID
        change.lineID = lineCase.lineID
        change.openedAtUnixMicros = lineCase.openedAtMicros
        change.closedAtUnixMicros = lineCase.closedAtMicros ?? 0
        if let review { change.review = try self.answer(review, in: db) }
        var subjects = Self.subjects(orderID: lineCase.orderID)
        subjects.caseID = lineCase.caseID
        _ = try self.feed.append(
            Aftercare_Common_V1_Event(
                type: type, payload: change, subjects: subjects, buyerID: review?.buyerID ?? "", sellerID: review?.sellerID ?? ""),
            context: context, in: db)
        context.logger.info(
            "case on an order line recorded",
            metadata: [
                "case.id": "\(lineCase.caseID)", "event.type": "\(type)", "review.id": "\(review?.reviewID ?? "-")",
                "review.timer_paused": "\(review?.timer.pausedAtMicros != nil)",
            ])
    }
}
