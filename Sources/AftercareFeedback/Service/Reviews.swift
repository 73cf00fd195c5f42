import AftercareFeedbackAPI
import AftercareRPC
import AftercareServiceKit
import Logging

/// Feedback's operations on reviews, each inside the caller's write transaction: the change, its
/// feed events and any attention event commit together, or not at all.
struct Reviews: Sendable {
    let store: FeedbackStore
    let feed: EventFeed
    let clock: ServiceClock

    /// The review `reviewID`, or NOT_FOUND naming `field`.
    func load(_ reviewID: String, field: String = "review_id", in db: any SQLConnection) throws -> ReviewRecord {
        guard let review = try self.store.review(reviewID, in: db) else {
            throw RPCError.notFound(field, kind: "review", id: reviewID)
        }
        return review
    }

    /// The review `reviewID` for a change: its row lock taken first, then read, then expired if its
    /// timer is due (so every call that touches a review sees T_review applied). NOT_FOUND naming
    /// `field`.
    func loadForChange(_ reviewID: String, field: String = "review_id", context: ServerContext?, in db: any SQLConnection) throws -> ReviewRecord {
        guard try self.store.lockReview(reviewID, in: db) else {
            throw RPCError.notFound(field, kind: "review", id: reviewID)
        }
        var review = try self.load(reviewID, field: field, in: db)
        try self.expireIfDue(&review, context: context, in: db)
        return review
    }

    /// The review as the API answers it, with the line's open cases.
    func answer(_ review: ReviewRecord, in db: any SQLConnection) throws -> Aftercare_Feedback_V1_Review {
        review.proto(openCaseIDs: try self.store.openCaseIDs(orderID: review.orderID, lineID: review.lineID, in: db))
    }

    /// Moves `review` by `event` through ``ReviewMachine``; FAILED_PRECONDITION naming the review's
    /// state when the machine has no such move.
    func move(_ review: inout ReviewRecord, _ event: ReviewEvent) throws {
        do throws(ReviewMachineError) {
            review.status = try ReviewMachine.apply(event, to: review.status)
        } catch {
            throw RPCError.failedPrecondition("review \(review.reviewID): \(error)")
        }
        review.updatedAtMicros = self.clock.nowMicros
    }

    /// Stores `review` and puts a `type` event with it on the feed.
    func save(_ review: ReviewRecord, as type: String, context: ServerContext?, in db: any SQLConnection) throws {
        try self.store.update(review, in: db)
        try self.publish(review, as: type, context: context, in: db)
    }

    /// Puts a `type` event carrying `review` on the feed.
    func publish(_ review: ReviewRecord, as type: String, context: ServerContext?, in db: any SQLConnection) throws {
        var change = Aftercare_Feedback_V1_ReviewChanged()
        change.review = try self.answer(review, in: db)
        _ = try self.feed.append(
            Aftercare_Common_V1_Event(
                type: type, payload: change, subjects: Self.subjects(orderID: review.orderID), buyerID: review.buyerID,
                sellerID: review.sellerID),
            context: context, in: db)
    }

    /// `feedback.attention.seller` for `review` when it is negative or `flags` is not empty.
    func attentionIfNeeded(_ review: ReviewRecord, flags: [ReviewFlag], context: ServerContext?, in db: any SQLConnection) throws {
        guard review.classification == .negative || !flags.isEmpty else { return }
        var attention = Aftercare_Feedback_V1_Attention()
        attention.reviewID = review.reviewID
        attention.classification = review.classification?.proto ?? .unspecified
        attention.flags = flags.map(\.proto)
        attention.reasons = review.reasons.map(\.proto)
        attention.summary = AttentionSummary.review(review, flags: flags)
        _ = try self.feed.append(
            Aftercare_Common_V1_Event(
                type: FeedbackEventTypes.attentionSeller, payload: attention, subjects: Self.subjects(orderID: review.orderID),
                buyerID: review.buyerID, sellerID: review.sellerID),
            context: context, in: db)
        context?.logger.info(
            "review needs the seller's attention",
            metadata: ["review.id": "\(review.reviewID)", "review.flags": "\(flags.map(\.reason.rawValue))"])
    }

    static func subjects(orderID: String) -> Aftercare_Common_V1_EventSubjects {
        var subjects = Aftercare_Common_V1_EventSubjects()
        subjects.orderID = orderID
        return subjects
    }

    /// Refuses an actor who is not the review's party: PERMISSION_DENIED naming `field`.
    static func requireParty(_ actual: String, is expected: String, field: String, of review: ReviewRecord) throws {
        guard actual == expected else {
            throw RPCError(.permissionDenied, "\(field): \(actual) is not the \(field.dropLast(3)) of review \(review.reviewID)", outcome: .notExecuted)
        }
    }
}

/// The sentence an attention event carries for the inbox.
enum AttentionSummary {
    static func review(_ review: ReviewRecord, flags: [ReviewFlag]) -> String {
        var parts = ["\(review.stars)-star \(review.classification?.rawValue ?? "") review of order \(review.orderID) line \(review.lineID)"]
        parts += flags.map { "flagged \($0.reason) (\($0.matched.joined(separator: ", ")))" }
        parts += review.reasons.map(\.detail)
        return parts.joined(separator: "; ")
    }

    static func platform(_ feedback: PlatformFeedbackRecord) -> String {
        var parts = ["\(feedback.stars)-star \(feedback.classification) platform feedback from buyer \(feedback.buyerID)"]
        parts += feedback.flags.map { "flagged \($0.reason) (\($0.matched.joined(separator: ", ")))" }
        return parts.joined(separator: "; ")
    }
}
