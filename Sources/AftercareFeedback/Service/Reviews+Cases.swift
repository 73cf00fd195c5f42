import AftercareFeedbackAPI
import AftercareRPC
import AftercareServiceKit
import Logging

/// The cases on order lines, as aftersales' feed tells them (``AftersalesCaseWriter``, feedback's
/// follower of that feed), or as the compatibility calls `RecordCaseOpened` and `RecordCaseClosed`
/// do (the gateway no longer makes them). While a case on a line is open, the line's ELIGIBLE
/// review has its T_review paused.
extension Reviews {
    /// Records case `caseID` opened on line `lineID` of order `orderID` (a case may cover several
    /// lines of its order); the first open case of an ELIGIBLE review pauses its timer. Idempotent by
    /// case and line. INVALID_ARGUMENT naming `case_id` when the case was recorded on another order
    /// (checked before anything is written). Answers the line's review, or an empty one when the
    /// line has none.
    func caseOpened(caseID: String, orderID: String, lineID: String, origin: CaseFactOrigin, in db: any SQLConnection) throws
        -> Aftercare_Feedback_V1_Review
    {
        if let other = try self.store.lineCases(caseID, in: db).first(where: { $0.orderID != orderID }) {
            throw RPCError.invalidField("case_id", "case \(caseID) was recorded on order \(other.orderID)")
        }
        let lineCase = LineCaseRecord(caseID: caseID, orderID: orderID, lineID: lineID, openedAtMicros: self.clock.nowMicros)
        guard try self.store.insert(lineCase, in: db) else {
            return try self.lineReview(orderID: orderID, lineID: lineID, context: origin.context, in: db) { _, _ in false }
        }
        return try self.lineReview(orderID: orderID, lineID: lineID, context: origin.context, in: db) { review, openCases in
            try self.pauseIfCasesOpen(&review, openCases: openCases)
        } announce: { review in
            try self.publishCase(lineCase, review: review, as: FeedbackEventTypes.caseOpened, origin: origin, in: db)
        }
    }

    /// Records case `caseID` closed on every line it was opened on; on each line where it was the
    /// last open case, an ELIGIBLE review's timer resumes. Idempotent by case id; NOT_FOUND naming
    /// `case_id` for a case never opened (checked before anything is written). Answers the review
    /// of the case's first line (by line id).
    func caseClosed(caseID: String, origin: CaseFactOrigin, in db: any SQLConnection) throws -> Aftercare_Feedback_V1_Review {
        let lineCases = try self.store.lineCases(caseID, in: db)
        guard !lineCases.isEmpty else {
            throw RPCError.notFound("case_id", kind: "case recorded as opened", id: caseID)
        }
        let now = self.clock.nowMicros
        var answers: [Aftercare_Feedback_V1_Review] = []
        for var lineCase in lineCases {
            guard lineCase.closedAtMicros == nil, try self.store.close(caseID: caseID, lineID: lineCase.lineID, atMicros: now, in: db) else {
                answers.append(try self.lineReview(orderID: lineCase.orderID, lineID: lineCase.lineID, context: origin.context, in: db) { _, _ in false })
                continue
            }
            lineCase.closedAtMicros = now
            answers.append(
                try self.lineReview(orderID: lineCase.orderID, lineID: lineCase.lineID, context: origin.context, in: db) { review, openCases in
                    try self.resumeIfNoCaseOpen(&review, openCases: openCases)
                } announce: { review in
                    try self.publishCase(lineCase, review: review, as: FeedbackEventTypes.caseClosed, origin: origin, in: db)
                })
        }
        return answers.first ?? Aftercare_Feedback_V1_Review()
    }

    /// The line's review after `change` (given the number of open cases on the line; `true` when it
    /// changed the review, which is then stored), with `announce` called on the result; an empty
    /// review when the line has none.
    private func lineReview(
        orderID: String, lineID: String, context: ServerContext?, in db: any SQLConnection,
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

    private func publishCase(_ lineCase: LineCaseRecord, review: ReviewRecord?, as type: String, origin: CaseFactOrigin, in db: any SQLConnection) throws {
        var change = Aftercare_Feedback_V1_LineCaseChanged()
        change.caseID = lineCase.caseID
        change.orderID = lineCase.orderID
        change.lineID = lineCase.lineID
        change.openedAtUnixMicros = lineCase.openedAtMicros
        change.closedAtUnixMicros = lineCase.closedAtMicros ?? 0
        if let review { change.review = try self.answer(review, in: db) }
        var subjects = Self.subjects(orderID: lineCase.orderID)
        subjects.caseID = lineCase.caseID
        let event = try Aftercare_Common_V1_Event(
            type: type, payload: change, subjects: subjects, buyerID: review?.buyerID ?? "", sellerID: review?.sellerID ?? "")
        _ = try self.feed.append(origin.traced(event), context: origin.context, in: db)
        origin.logger.info(
            "case on an order line recorded",
            metadata: [
                "case.id": "\(lineCase.caseID)", "event.type": "\(type)", "review.id": "\(review?.reviewID ?? "-")",
                "review.timer_paused": "\(review?.timer.pausedAtMicros != nil)", "case.fact_from": "\(origin)",
            ])
    }
}
