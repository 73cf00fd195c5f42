import AftercareFeedbackAPI
import AftercareRPC
import AftercareTesting
import AftercareServiceKit
import Foundation
import Testing

/// Every bad request is refused with the right status, a message naming the field or the state,
/// and leaves the database (tables, ledgers and feed) exactly as it was.
@Suite("Invalid requests")
struct InvalidRequestTests {
    /// The records each case runs against.
    struct Fixture: Sendable {
        /// ELIGIBLE, on order ord_1.
        var eligible: String
        /// PUBLISHED with 4 stars, replied, appealed and upheld, on ord_2.
        var upheld: String
        /// EXPIRED, on ord_3.
        var expired: String
    }

    typealias Case = InvalidRequest<RPCClient, Fixture>

    static let key = CallOptions(idempotencyKey: "bad-request")
    static let long = String(repeating: "x", count: 300)
    static let tooLongText = String(repeating: "好", count: 700)

    typealias Call = @Sendable (RPCClient, Fixture) async throws -> Void

    static func delivery(_ edit: @escaping @Sendable (inout Aftercare_Feedback_V1_RecordDeliveryRequest) -> Void) -> Call {
        { client, _ in
            var request = Requests.delivery(order: "ord_new")
            edit(&request)
            _ = try await client.unary(FeedbackMethods.recordDelivery, request)
        }
    }

    static func submit(_ edit: @escaping @Sendable (inout Aftercare_Feedback_V1_SubmitReviewRequest, Fixture) -> Void) -> Call {
        { client, fixture in
            var request = Requests.submit(fixture.eligible, stars: 4)
            edit(&request, fixture)
            _ = try await client.unary(FeedbackMethods.submitReview, request, options: key)
        }
    }

    static func reply(_ reviewID: @escaping @Sendable (Fixture) -> String, seller: String = "seller_1", text: String = "thanks") -> Call {
        { client, fixture in
            var request = Aftercare_Feedback_V1_ReplyToReviewRequest()
            request.reviewID = reviewID(fixture)
            request.sellerID = seller
            request.reply = text
            _ = try await client.unary(FeedbackMethods.replyToReview, request, options: key)
        }
    }

    static func appeal(_ reviewID: @escaping @Sendable (Fixture) -> String, reason: Aftercare_Feedback_V1_AppealReason = .privacy) -> Call {
        { client, fixture in
            var request = Aftercare_Feedback_V1_AppealReviewRequest()
            request.reviewID = reviewID(fixture)
            request.sellerID = "seller_1"
            request.reason = reason
            _ = try await client.unary(FeedbackMethods.appealReview, request, options: key)
        }
    }

    static func rule(_ reviewID: @escaping @Sendable (Fixture) -> String, _ ruling: Aftercare_Feedback_V1_AppealRuling = .uphold, note: String = "n")
        -> Call
    {
        { client, fixture in
            var request = Aftercare_Feedback_V1_RuleOnAppealRequest()
            request.reviewID = reviewID(fixture)
            request.ruling = ruling
            request.note = note
            _ = try await client.unary(FeedbackMethods.ruleOnAppeal, request, options: key)
        }
    }

    static let cases: [Case] = [
        Case(name: "delivery without order_id", code: .invalidArgument, names: "order_id:", call: delivery { $0.orderID = "" }),
        Case(name: "delivery with oversized line_id", code: .invalidArgument, names: "line_id:", call: delivery { $0.lineID = long }),
        Case(name: "delivery without delivery_id", code: .invalidArgument, names: "delivery_id:", call: delivery { $0.deliveryID = "" }),
        Case(name: "delivery without seller_id", code: .invalidArgument, names: "seller_id:", call: delivery { $0.sellerID = "" }),
        Case(name: "delivery without time", code: .invalidArgument, names: "delivered_at_unix_micros:", call: delivery {
            $0.deliveredAtUnixMicros = 0
        }),
        Case(name: "delivery with negative promised date", code: .invalidArgument, names: "promised_delivery_unix_micros:", call: delivery {
            $0.promisedDeliveryUnixMicros = -1
        }),
        Case(name: "delivery after 2100", code: .invalidArgument, names: "delivered_at_unix_micros:", call: delivery {
            $0.deliveredAtUnixMicros = .max
        }),
        Case(name: "a second delivery for a reviewed line", code: .alreadyExists, names: "delivery_id:", call: delivery {
            $0.orderID = "ord_1"
            $0.deliveryID = "shp_other"
        }),
        Case(name: "case opened without case_id", code: .invalidArgument, names: "case_id:", call: { client, _ in
            var request = Aftercare_Feedback_V1_RecordCaseOpenedRequest()
            request.orderID = "ord_1"
            request.lineID = "line_1"
            _ = try await client.unary(FeedbackMethods.recordCaseOpened, request)
        }),
        Case(name: "a case id reused on another order", code: .invalidArgument, names: "case_id:", call: { client, _ in
            var request = Aftercare_Feedback_V1_RecordCaseOpenedRequest()
            request.caseID = "case_fixture"
            request.orderID = "ord_1"
            request.lineID = "line_2"
            _ = try await client.unary(FeedbackMethods.recordCaseOpened, request)
        }),
        Case(name: "closing a case never opened", code: .notFound, names: "case_id:", call: { client, _ in
            var request = Aftercare_Feedback_V1_RecordCaseClosedRequest()
            request.caseID = "case_missing"
            _ = try await client.unary(FeedbackMethods.recordCaseClosed, request)
        }),
        Case(name: "submit with 0 stars", code: .invalidArgument, names: "stars:", call: submit { request, _ in request.stars = 0 }),
        Case(name: "submit with 6 stars", code: .invalidArgument, names: "stars:", call: submit { request, _ in request.stars = 6 }),
        Case(name: "submit without a dimension score", code: .invalidArgument, names: "scores.delivery_speed:", call: submit { request, _ in
            request.scores.deliverySpeed = 0
        }),
        Case(name: "submit 3 stars without comment", code: .invalidArgument, names: "comment:", call: submit { request, _ in
            request.stars = 3
            request.comment = "  "
        }),
        Case(name: "submit with oversized comment", code: .invalidArgument, names: "comment:", call: submit { request, _ in
            request.comment = tooLongText
        }),
        Case(name: "submit with 11 tags", code: .invalidArgument, names: "tags:", call: submit { request, _ in
            request.tags = Array(repeating: "t", count: 11)
        }),
        Case(name: "submit with an empty tag", code: .invalidArgument, names: "tags:", call: submit { request, _ in request.tags = [""] }),
        Case(name: "submit without idempotency key", code: .invalidArgument, names: "idempotency_key:", call: { client, fixture in
            _ = try await client.unary(FeedbackMethods.submitReview, Requests.submit(fixture.eligible, stars: 5))
        }),
        Case(name: "submit an unknown review", code: .notFound, names: "review_id:", call: submit { request, _ in request.reviewID = "rev_x" }),
        Case(name: "submit by another buyer", code: .permissionDenied, names: "buyer_id:", call: submit { request, _ in
            request.buyerID = "buyer_9"
        }),
        Case(name: "submit a published review", code: .failedPrecondition, names: "review is published", call: submit { request, fixture in
            request.reviewID = fixture.upheld
        }),
        Case(name: "submit an expired review", code: .failedPrecondition, names: "review is expired", call: submit { request, fixture in
            request.reviewID = fixture.expired
        }),
        Case(name: "reply to an eligible review", code: .failedPrecondition, names: "review is eligible", call: reply { $0.eligible }),
        Case(name: "a second reply", code: .failedPrecondition, names: "reply replied", call: reply { $0.upheld }),
        Case(name: "reply by another seller", code: .permissionDenied, names: "seller_id:", call: reply({ $0.upheld }, seller: "seller_9")),
        Case(name: "reply without text", code: .invalidArgument, names: "reply:", call: reply({ $0.upheld }, text: "")),
        Case(name: "appeal without reason", code: .invalidArgument, names: "reason:", call: appeal({ $0.upheld }, reason: .unspecified)),
        Case(name: "a second appeal", code: .failedPrecondition, names: "appeal upheld", call: appeal { $0.upheld }),
        Case(name: "appeal an expired review", code: .failedPrecondition, names: "review is expired", call: appeal { $0.expired }),
        Case(name: "rule without an appeal", code: .failedPrecondition, names: "review is eligible", call: rule { $0.eligible }),
        Case(name: "rule twice", code: .failedPrecondition, names: "appeal upheld", call: rule({ $0.upheld }, .overturn)),
        Case(name: "rule without ruling", code: .invalidArgument, names: "ruling:", call: rule({ $0.upheld }, .unspecified)),
        Case(name: "rule without note", code: .invalidArgument, names: "note:", call: rule({ $0.upheld }, note: "")),
        Case(name: "delete an eligible review", code: .failedPrecondition, names: "review is eligible", call: { client, fixture in
            var request = Aftercare_Feedback_V1_DeleteReviewRequest()
            request.reviewID = fixture.eligible
            request.buyerID = "buyer_1"
            _ = try await client.unary(FeedbackMethods.deleteReview, request, options: key)
        }),
        Case(name: "follow-up on an eligible review", code: .failedPrecondition, names: "review is eligible", call: { client, fixture in
            var request = Aftercare_Feedback_V1_FollowUpReviewRequest()
            request.reviewID = fixture.eligible
            request.buyerID = "buyer_1"
            request.comment = "more"
            _ = try await client.unary(FeedbackMethods.followUpReview, request, options: key)
        }),
        Case(name: "platform feedback with 0 support score", code: .invalidArgument, names: "scores.support_helpfulness:", call: {
            client, _ in
            var request = Aftercare_Feedback_V1_SubmitPlatformFeedbackRequest()
            request.buyerID = "buyer_1"
            request.stars = 5
            request.scores.purchaseSmoothness = 5
            _ = try await client.unary(FeedbackMethods.submitPlatformFeedback, request, options: key)
        }),
        Case(name: "platform feedback without buyer", code: .invalidArgument, names: "buyer_id:", call: { client, _ in
            _ = try await client.unary(FeedbackMethods.submitPlatformFeedback, .init(), options: key)
        }),
        Case(name: "get an unknown review", code: .notFound, names: "review_id:", call: { client, _ in
            var request = Aftercare_Feedback_V1_GetReviewRequest()
            request.reviewID = "rev_missing"
            _ = try await client.unary(FeedbackMethods.getReview, request)
        }),
        Case(name: "get by line without line_id", code: .invalidArgument, names: "line_id:", call: { client, _ in
            var request = Aftercare_Feedback_V1_GetReviewRequest()
            request.orderID = "ord_1"
            _ = try await client.unary(FeedbackMethods.getReview, request)
        }),
        Case(name: "list without a key", code: .invalidArgument, names: "seller_id:", call: { client, _ in
            _ = try await client.unary(FeedbackMethods.listReviews, .init())
        }),
        Case(name: "list with two keys", code: .invalidArgument, names: "seller_id:", call: { client, _ in
            var request = Aftercare_Feedback_V1_ListReviewsRequest()
            request.sellerID = "seller_1"
            request.buyerID = "buyer_1"
            _ = try await client.unary(FeedbackMethods.listReviews, request)
        }),
        Case(name: "list with an oversized page", code: .invalidArgument, names: "page_size:", call: { client, _ in
            var request = Aftercare_Feedback_V1_ListReviewsRequest()
            request.productID = "sku_1"
            request.pageSize = 101
            _ = try await client.unary(FeedbackMethods.listReviews, request)
        }),
        Case(name: "scores without seller", code: .invalidArgument, names: "seller_id:", call: { client, _ in
            _ = try await client.unary(FeedbackMethods.getSellerScores, .init())
        }),
    ]

    @Test(arguments: cases)
    func refused(_ example: Case) async throws {
        try await FeedbackHarness.run { feedback in
            let expired = try await feedback.deliver(order: "ord_3", deliveredAt: InMemoryService.startMicros - 15 * Micros.day)
            let eligible = try await feedback.deliver(order: "ord_1")
            let upheld = try await feedback.deliver(order: "ord_2")
            _ = try await feedback.submit(upheld.reviewID, stars: 4)
            _ = try await feedback.reply(upheld.reviewID)
            _ = try await feedback.appeal(upheld.reviewID)
            _ = try await feedback.rule(upheld.reviewID, .uphold)
            _ = try await feedback.caseOpened("case_fixture", order: "ord_2")
            #expect(try await feedback.get(expired.reviewID).state == .expired)
            let fixture = Fixture(eligible: eligible.reviewID, upheld: upheld.reviewID, expired: expired.reviewID)
            let before = try await feedback.dump()
            #expect(before.contains { $0.hasPrefix("feed_events:") } && before.contains { $0.hasPrefix("idempotency_keys:") })
            let problems = try await example.problems(feedback.client, fixture) { try await feedback.dump() }
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}
