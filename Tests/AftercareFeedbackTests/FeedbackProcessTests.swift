import AftercareFeedbackAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import Testing

/// The real `aftercare-feedback` executable over its Unix socket with mutual TLS.
@Suite("aftercare-feedback process")
struct FeedbackProcessTests {
    /// The background expiry pass runs every 50 ms in these tests.
    static let arguments = ["--feedback-expiry-interval-ms", "50"]

    static func now(on client: RPCClient) async throws -> Int64 {
        try await client.unary(OperatorMethods.getClock, .init()).nowUnixMicros
    }

    static func review(_ reviewID: String, on client: RPCClient) async throws -> Aftercare_Feedback_V1_Review {
        var request = Aftercare_Feedback_V1_GetReviewRequest()
        request.reviewID = reviewID
        return try await client.unary(FeedbackMethods.getReview, request)
    }

    static func scores(on client: RPCClient) async throws -> Aftercare_Feedback_V1_SellerScores {
        var request = Aftercare_Feedback_V1_GetSellerScoresRequest()
        request.sellerID = "seller_1"
        return try await client.unary(FeedbackMethods.getSellerScores, request)
    }

    static func events(on client: RPCClient) async throws -> [Aftercare_Common_V1_Event] {
        try await client.unary(FeedMethods.readEvents, .init()).events
    }

    @Test("delivered → submit → reply → appeal → uphold: scores exclude it; kill -9 and restart keep everything")
    func appealAndRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await ServiceProcess.start("feedback", in: directory, arguments: Self.arguments)
        let (appealedID, submitted, eventsBefore) = try await first.withClient { client in
            let now = try await Self.now(on: client)
            let kept = try await client.unary(FeedbackMethods.recordDelivery, Requests.delivery(order: "ord_1", deliveredAt: now))
            let appealed = try await client.unary(FeedbackMethods.recordDelivery, Requests.delivery(order: "ord_2", deliveredAt: now))
            _ = try await client.unary(
                FeedbackMethods.submitReview, Requests.submit(kept.reviewID, stars: 4), options: .init(idempotencyKey: "s-1"))
            let submitted = try await client.unary(
                FeedbackMethods.submitReview, Requests.submit(appealed.reviewID, stars: 1, comment: "fake! 假货"),
                options: .init(idempotencyKey: "s-2"))
            #expect(submitted.classification == .negative && submitted.flags.map(\.reason) == [.fraud])
            var reply = Aftercare_Feedback_V1_ReplyToReviewRequest()
            reply.reviewID = appealed.reviewID
            reply.sellerID = "seller_1"
            reply.reply = "It is genuine; here is the certificate."
            _ = try await client.unary(FeedbackMethods.replyToReview, reply, options: .init(idempotencyKey: "r-1"))
            var appeal = Aftercare_Feedback_V1_AppealReviewRequest()
            appeal.reviewID = appealed.reviewID
            appeal.sellerID = "seller_1"
            appeal.reason = .extortion
            _ = try await client.unary(FeedbackMethods.appealReview, appeal, options: .init(idempotencyKey: "a-1"))
            #expect(try await Self.scores(on: client).reviewCount == 2)
            var rule = Aftercare_Feedback_V1_RuleOnAppealRequest()
            rule.reviewID = appealed.reviewID
            rule.ruling = .uphold
            rule.note = "the buyer demanded a refund for a better review"
            let upheld = try await client.unary(FeedbackMethods.ruleOnAppeal, rule, options: .init(idempotencyKey: "u-1"))
            #expect(upheld.appealState == .upheld)
            let scores = try await Self.scores(on: client)
            #expect(scores.reviewCount == 1 && scores.averageStarsHundredths == 400 && scores.negativeCount == 0)
            return (appealed.reviewID, submitted, try await Self.events(on: client))
        }
        #expect(eventsBefore.map(\.type) == [
            FeedbackEventTypes.eligible, FeedbackEventTypes.eligible, FeedbackEventTypes.published, FeedbackEventTypes.published,
            FeedbackEventTypes.attentionSeller, FeedbackEventTypes.replied, FeedbackEventTypes.appealed, FeedbackEventTypes.appealUpheld,
        ])
        first.kill()

        let second = try await ServiceProcess.start("feedback", in: directory, arguments: Self.arguments)
        defer { second.kill() }
        try await second.withClient { client in
            let restored = try await Self.review(appealedID, on: client)
            #expect(restored.state == .published && restored.replyState == .replied && restored.appealState == .upheld)
            #expect(restored.flags == submitted.flags && restored.comment == submitted.comment)
            let scores = try await Self.scores(on: client)
            #expect(scores.reviewCount == 1 && scores.averageStarsHundredths == 400)
            #expect(try await Self.events(on: client) == eventsBefore)
            // The key still answers the first result after the restart.
            let again = try await client.unary(
                FeedbackMethods.submitReview, Requests.submit(appealedID, stars: 1, comment: "fake! 假货"), options: .init(idempotencyKey: "s-2"))
            #expect(again == submitted)
        }
        #expect(try await second.stop() == 0)
    }

    @Test("T_review is durable: after kill -9 and a restart with the clock advanced, the background pass expires the due review, not the paused one")
    func timerAfterRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await ServiceProcess.start("feedback", in: directory, arguments: Self.arguments)
        let (due, paused) = try await first.withClient { client in
            let now = try await Self.now(on: client)
            let due = try await client.unary(FeedbackMethods.recordDelivery, Requests.delivery(order: "ord_1", deliveredAt: now))
            let paused = try await client.unary(FeedbackMethods.recordDelivery, Requests.delivery(order: "ord_2", deliveredAt: now))
            var opened = Aftercare_Feedback_V1_RecordCaseOpenedRequest()
            opened.caseID = "case_1"
            opened.orderID = "ord_2"
            opened.lineID = "line_1"
            #expect(try await client.unary(FeedbackMethods.recordCaseOpened, opened).timerPausedAtUnixMicros > 0)
            return (due, paused)
        }
        first.kill()

        let second = try await ServiceProcess.start("feedback", in: directory, arguments: Self.arguments)
        defer { second.kill() }
        try await second.withClient { client in
            var advance = Aftercare_Common_V1_AdvanceClockRequest()
            advance.byMicros = 15 * Micros.day + 1_000_000
            _ = try await client.unary(OperatorMethods.advanceClock, advance)
            // Wait for the background pass (not a call touching the review, which would expire it too).
            var request = Aftercare_Common_V1_ReadEventsRequest()
            request.types = [FeedbackEventTypes.expired]
            let deadline = ContinuousClock.now + .seconds(10)
            var expired: [Aftercare_Common_V1_Event] = []
            while expired.isEmpty && ContinuousClock.now < deadline {
                expired = try await client.unary(FeedMethods.readEvents, request).events
                if expired.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(expired.count == 1)
            #expect(expired.first?.payload(as: Aftercare_Feedback_V1_ReviewChanged.self)?.review.reviewID == due.reviewID)
            #expect(try await Self.review(due.reviewID, on: client).state == .expired)
            let stillPaused = try await Self.review(paused.reviewID, on: client)
            #expect(stillPaused.state == .eligible && stillPaused.timerPausedAtUnixMicros > 0 && stillPaused.afterSalesInProgress)
        }
    }
}
