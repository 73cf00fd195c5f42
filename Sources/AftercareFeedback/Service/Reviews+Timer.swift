import AftercareFeedbackAPI
import AftercareRPC
import AftercareServiceKit
import Logging

extension Reviews {
    /// Fires T_review on `review` when it is ELIGIBLE and its running timer is due at the service
    /// clock's now: EXPIRED, with `feedback.review.expired`. `true` when it expired.
    @discardableResult
    func expireIfDue(_ review: inout ReviewRecord, context: ServerContext?, in db: any SQLConnection) throws -> Bool {
        let now = self.clock.nowMicros
        guard review.status.review == .eligible, review.timer.isDue(atMicros: now) else { return false }
        try self.move(&review, .timerFired)
        review.expiredAtMicros = now
        try self.save(review, as: FeedbackEventTypes.expired, context: context, in: db)
        return true
    }

    /// Expires up to `limit` due reviews in one transaction; their ids.
    func expireDue(limit: Int, in db: any SQLConnection) throws -> [String] {
        let due = try self.store.dueReviewIDs(atMicros: self.clock.nowMicros, limit: limit, in: db)
        return try due.filter { reviewID in
            guard try self.store.lockReview(reviewID, in: db) else { return false }
            var review = try self.load(reviewID, in: db)
            return try self.expireIfDue(&review, context: nil, in: db)
        }
    }

    /// Pauses `review`'s timer if it is ELIGIBLE and a case on its line is open (`openCases`).
    /// `true` when the timer changed.
    func pauseIfCasesOpen(_ review: inout ReviewRecord, openCases: Int) throws -> Bool {
        guard review.status.review == .eligible, openCases > 0, review.timer.pausedAtMicros == nil else { return false }
        try self.move(&review, .caseOpened)
        review.timer.pause(atMicros: self.clock.nowMicros)
        return true
    }

    /// Resumes `review`'s timer if it is ELIGIBLE, paused, and no case on its line is open.
    /// `true` when the timer changed.
    func resumeIfNoCaseOpen(_ review: inout ReviewRecord, openCases: Int) throws -> Bool {
        guard review.status.review == .eligible, openCases == 0, review.timer.pausedAtMicros != nil else { return false }
        try self.move(&review, .lastCaseClosed)
        review.timer.resume(atMicros: self.clock.nowMicros)
        return true
    }
}
