import AftercareFeedback
import AftercareFeedbackAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import GRDB
import Logging

/// Feedback in process on an in-memory database, with a test clock, its feed and ledgers and a
/// client; plus the helpers the suites share.
struct FeedbackHarness: Sendable {

    let database: ServiceDatabase
    let clock: ServiceClock
    let feed: EventFeed
    let client: RPCClient
    /// The background expiry pass, run by hand.
    let expiry: ReviewExpiryService

    /// Runs `body` against a fresh feedback service.
    static func run<Result: Sendable>(_ body: @Sendable (FeedbackHarness) async throws -> Result) async throws -> Result {
        let service = try InMemoryService("feedback", migrations: .feedback)
        let (database, clock, feed) = (service.database, service.clock, service.feed)
        let expiry = ReviewExpiryService(
            database: database, clock: clock, feed: feed, interval: .seconds(3_600), batch: 2, logger: Logger.test("feedback.expiry"))
        return try await service.serve([FeedbackService(database: database, clock: clock, feed: feed, ledger: service.ledger)]) { client in
            try await body(FeedbackHarness(database: database, clock: clock, feed: feed, client: client, expiry: expiry))
        }
    }

    func dump() async throws -> [String] {
        try await self.database.dump()
    }

    /// The types of every event on the feed, in order.
    func feedTypes() async throws -> [String] {
        try await self.feed.read(afterSeq: 0, limit: 1_000).map(\.type)
    }

    func events() async throws -> [Aftercare_Common_V1_Event] {
        try await self.feed.read(afterSeq: 0, limit: 1_000)
    }

    func advance(days: Int64 = 0, hours: Int64 = 0) throws {
        try self.clock.advance(byMicros: days * Micros.day + hours * Micros.hour)
    }

    func deliver(
        order: String = "ord_1", line: String = "line_1", delivery: String = "shp_1", product: String = "sku_1", seller: String = "seller_1",
        buyer: String = "buyer_1", deliveredAt: Int64? = nil, promised: Int64 = 0
    ) async throws -> Aftercare_Feedback_V1_Review {
        try await self.client.unary(
            FeedbackMethods.recordDelivery,
            Requests.delivery(
                order: order, line: line, delivery: delivery, product: product, seller: seller, buyer: buyer,
                deliveredAt: deliveredAt ?? self.clock.nowMicros, promised: promised))
    }

    func caseOpened(_ caseID: String, order: String = "ord_1", line: String = "line_1") async throws -> Aftercare_Feedback_V1_Review {
        var request = Aftercare_Feedback_V1_RecordCaseOpenedRequest()
        request.caseID = caseID
        request.orderID = order
        request.lineID = line
        return try await self.client.unary(FeedbackMethods.recordCaseOpened, request)
    }

    func caseClosed(_ caseID: String) async throws -> Aftercare_Feedback_V1_Review {
        var request = Aftercare_Feedback_V1_RecordCaseClosedRequest()
        request.caseID = caseID
        return try await self.client.unary(FeedbackMethods.recordCaseClosed, request)
    }

    func submit(_ reviewID: String, stars: UInt32, comment: String = "", buyer: String = "buyer_1", key: String? = nil) async throws
        -> Aftercare_Feedback_V1_Review
    {
        try await self.client.unary(
            FeedbackMethods.submitReview, Requests.submit(reviewID, stars: stars, comment: comment, buyer: buyer),
            options: .init(idempotencyKey: key ?? "submit-\(UUID().uuidString)"))
    }

    func reply(_ reviewID: String, _ text: String = "Thank you!", seller: String = "seller_1") async throws -> Aftercare_Feedback_V1_Review {
        var request = Aftercare_Feedback_V1_ReplyToReviewRequest()
        request.reviewID = reviewID
        request.sellerID = seller
        request.reply = text
        return try await self.client.unary(FeedbackMethods.replyToReview, request, options: .init(idempotencyKey: "reply-\(UUID().uuidString)"))
    }

    func appeal(_ reviewID: String, reason: Aftercare_Feedback_V1_AppealReason = .extortion) async throws -> Aftercare_Feedback_V1_Review {
        var request = Aftercare_Feedback_V1_AppealReviewRequest()
        request.reviewID = reviewID
        request.sellerID = "seller_1"
        request.reason = reason
        request.explanation = "the buyer asked for a refund in exchange for a better review"
        return try await self.client.unary(FeedbackMethods.appealReview, request, options: .init(idempotencyKey: "appeal-\(UUID().uuidString)"))
    }

    func rule(_ reviewID: String, _ ruling: Aftercare_Feedback_V1_AppealRuling) async throws -> Aftercare_Feedback_V1_Review {
        var request = Aftercare_Feedback_V1_RuleOnAppealRequest()
        request.reviewID = reviewID
        request.ruling = ruling
        request.note = "ruled by platform support"
        return try await self.client.unary(FeedbackMethods.ruleOnAppeal, request, options: .init(idempotencyKey: "rule-\(UUID().uuidString)"))
    }

    func get(_ reviewID: String) async throws -> Aftercare_Feedback_V1_Review {
        var request = Aftercare_Feedback_V1_GetReviewRequest()
        request.reviewID = reviewID
        return try await self.client.unary(FeedbackMethods.getReview, request)
    }

    func scores(_ seller: String = "seller_1") async throws -> Aftercare_Feedback_V1_SellerScores {
        var request = Aftercare_Feedback_V1_GetSellerScoresRequest()
        request.sellerID = seller
        return try await self.client.unary(FeedbackMethods.getSellerScores, request)
    }
}

/// Requests the suites build.
enum Requests {
    static func delivery(
        order: String = "ord_1", line: String = "line_1", delivery: String = "shp_1", product: String = "sku_1", seller: String = "seller_1",
        buyer: String = "buyer_1", deliveredAt: Int64 = InMemoryService.startMicros, promised: Int64 = 0
    ) -> Aftercare_Feedback_V1_RecordDeliveryRequest {
        var request = Aftercare_Feedback_V1_RecordDeliveryRequest()
        request.orderID = order
        request.lineID = line
        request.deliveryID = delivery
        request.productID = product
        request.buyerID = buyer
        request.sellerID = seller
        request.deliveredAtUnixMicros = deliveredAt
        request.promisedDeliveryUnixMicros = promised
        return request
    }

    static func submit(_ reviewID: String, stars: UInt32, comment: String = "", buyer: String = "buyer_1") -> Aftercare_Feedback_V1_SubmitReviewRequest {
        var request = Aftercare_Feedback_V1_SubmitReviewRequest()
        request.reviewID = reviewID
        request.buyerID = buyer
        request.stars = stars
        request.scores.itemAsDescribed = stars
        request.scores.sellerService = stars
        request.scores.deliverySpeed = stars
        request.comment = comment.isEmpty && stars <= 3 ? "it was fine" : comment
        request.tags = ["fit"]
        return request
    }
}
