package import AftercareRPC
package import AftercareServiceKit
import AftercareFeedbackAPI
import Logging

/// `aftercare.feedback.v1.Feedback`: reviews of delivered order lines, replies, appeals, seller
/// scores and platform feedback. Every mutation runs through
/// ``MutationLedger/once(_:request:withoutKey:nothingToUndo:_:)``: the gateway's facts by their
/// natural keys, the actors' actions by an idempotency key or saga step.
package struct FeedbackService: RPCService {
    let reviews: Reviews
    let database: any SQLDatabase
    let ledger: MutationLedger

    /// - Parameters:
    ///   - database: feedback's database, migrated with ``AftercareServiceKit/ServiceMigrations/feedback``.
    ///   - clock: every timestamp, window and timer reads it.
    ///   - feed: feedback's event feed; each change appends to it in its own transaction.
    ///   - ledger: the step and idempotency ledgers over `database`.
    package init(database: any SQLDatabase, clock: ServiceClock, feed: EventFeed, ledger: MutationLedger) {
        self.reviews = Reviews(store: FeedbackStore(), feed: feed, clock: clock)
        self.database = database
        self.ledger = ledger
    }

    package func register(in router: inout RPCRouter) {
        router.unary(FeedbackMethods.recordDelivery) { request, context in
            try FeedbackRequestCheck.recordDelivery(request)
            return try await self.ledger.once(context, request: request, withoutKey: .naturalKey) { db in
                try self.reviews.recordDelivery(request, context: context, in: db)
            }
        }
        // Kept for compatibility (proto-spec): the gateway no longer calls these two; feedback
        // learns cases from aftersales' feed (AftersalesCaseWriter), with the same effect.
        router.unary(FeedbackMethods.recordCaseOpened) { request, context in
            try FeedbackRequestCheck.caseOpened(request)
            return try await self.ledger.once(context, request: request, withoutKey: .naturalKey) { db in
                try self.reviews.caseOpened(caseID: request.caseID, orderID: request.orderID, lineID: request.lineID, origin: .call(context), in: db)
            }
        }
        router.unary(FeedbackMethods.recordCaseClosed) { request, context in
            try FeedbackRequestCheck.caseClosed(request)
            return try await self.ledger.once(context, request: request, withoutKey: .naturalKey) { db in
                try self.reviews.caseClosed(caseID: request.caseID, origin: .call(context), in: db)
            }
        }
        router.unary(FeedbackMethods.submitReview) { request, context in
            try FeedbackRequestCheck.submit(request)
            try await self.expireIfDue(request.reviewID, context: context)
            return try await self.ledger.once(context, request: request) { db in try self.reviews.submit(request, context: context, in: db) }
        }
        router.unary(FeedbackMethods.followUpReview) { request, context in
            try FeedbackRequestCheck.followUp(request)
            try await self.expireIfDue(request.reviewID, context: context)
            return try await self.ledger.once(context, request: request) { db in try self.reviews.followUp(request, context: context, in: db) }
        }
        router.unary(FeedbackMethods.deleteReview) { request, context in
            try FeedbackRequestCheck.delete(request)
            try await self.expireIfDue(request.reviewID, context: context)
            return try await self.ledger.once(context, request: request) { db in try self.reviews.delete(request, context: context, in: db) }
        }
        router.unary(FeedbackMethods.replyToReview) { request, context in
            try FeedbackRequestCheck.reply(request)
            try await self.expireIfDue(request.reviewID, context: context)
            return try await self.ledger.once(context, request: request) { db in try self.reviews.reply(request, context: context, in: db) }
        }
        router.unary(FeedbackMethods.appealReview) { request, context in
            let reason = try FeedbackRequestCheck.appeal(request)
            try await self.expireIfDue(request.reviewID, context: context)
            return try await self.ledger.once(context, request: request) { db in
                try self.reviews.appeal(request, reason: reason, context: context, in: db)
            }
        }
        router.unary(FeedbackMethods.ruleOnAppeal) { request, context in
            try FeedbackRequestCheck.rule(request)
            try await self.expireIfDue(request.reviewID, context: context)
            return try await self.ledger.once(context, request: request) { db in try self.reviews.rule(request, context: context, in: db) }
        }
        router.unary(FeedbackMethods.submitPlatformFeedback) { request, context in
            try FeedbackRequestCheck.platformFeedback(request)
            return try await self.ledger.once(context, request: request) { db in
                try self.reviews.submitPlatformFeedback(request, context: context, in: db)
            }
        }
        router.unary(FeedbackMethods.getReview) { request, context in
            try FeedbackRequestCheck.get(request)
            let reviewID = try await self.database.snapshot { db in
                if !request.reviewID.isEmpty { return try self.reviews.load(request.reviewID, in: db).reviewID }
                guard let review = try self.reviews.store.review(orderID: request.orderID, lineID: request.lineID, in: db) else {
                    throw RPCError.notFound("line_id", kind: "review of order \(request.orderID) line", id: request.lineID)
                }
                return review.reviewID
            }
            try await self.expireIfDue(reviewID, context: context)
            return try await self.database.snapshot { db in try self.reviews.answer(try self.reviews.load(reviewID, in: db), in: db) }
        }
        router.unary(FeedbackMethods.listReviews) { request, _ in
            let (key, value, state, limit) = try FeedbackRequestCheck.list(request)
            return try await self.database.snapshot { db in
                let page = try self.reviews.store.reviews(
                    key, value, state: state, before: request.pageToken.isEmpty ? nil : request.pageToken, limit: limit + 1, in: db)
                var response = Aftercare_Feedback_V1_ListReviewsResponse()
                response.reviews = try page.prefix(limit).map { try self.reviews.answer($0, in: db) }
                if page.count > limit { response.nextPageToken = page[limit - 1].reviewID }
                return response
            }
        }
        router.unary(FeedbackMethods.getSellerScores) { request, _ in
            try FeedbackRequestCheck.scores(request)
            return try await self.database.snapshot { db in
                try self.reviews.scores(sellerID: request.sellerID, in: db)
            }
        }
        router.unary(FeedbackMethods.listPlatformFeedback) { request, _ in
            let limit = try FeedbackRequestCheck.listPlatformFeedback(request)
            return try await self.database.snapshot { db in
                let page = try self.reviews.store.platformFeedback(
                    buyerID: request.buyerID.isEmpty ? nil : request.buyerID, before: request.pageToken.isEmpty ? nil : request.pageToken,
                    limit: limit + 1, in: db)
                var response = Aftercare_Feedback_V1_ListPlatformFeedbackResponse()
                response.feedback = page.prefix(limit).map(\.proto)
                if page.count > limit { response.nextPageToken = page[limit - 1].feedbackID }
                return response
            }
        }
    }

    /// Applies T_review to a review a call touches, in its own transaction before the call's own
    /// write: an expiry stays committed even when the call is then refused because of it.
    private func expireIfDue(_ reviewID: String, context: ServerContext) async throws {
        let now = self.reviews.clock.nowMicros
        let due = try await self.database.snapshot { db in
            try self.reviews.store.review(reviewID, in: db).map { $0.status.review == .eligible && $0.timer.isDue(atMicros: now) } ?? false
        }
        guard due else { return }
        try await self.database.transaction { db in
            guard try self.reviews.store.lockReview(reviewID, in: db) else { return }
            var review = try self.reviews.load(reviewID, in: db)
            try self.reviews.expireIfDue(&review, context: context, in: db)
        }
    }
}
