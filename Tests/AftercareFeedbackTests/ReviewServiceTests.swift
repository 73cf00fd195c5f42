import AftercareFeedback
import AftercareFeedbackAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import Testing

/// The review machine through the service: every change on the feed, idempotent mutations, the
/// review timer, appeals and scores.
@Suite("Reviews")
struct ReviewServiceTests {
    typealias Types = FeedbackEventTypes

    @Test("delivered → submit → reply → appeal → uphold: the review leaves the scores; every change is on the feed")
    func appealUpheldExcludedFromScores() async throws {
        try await FeedbackHarness.run { feedback in
            let kept = try await feedback.deliver(order: "ord_1")
            let appealed = try await feedback.deliver(order: "ord_2")
            #expect(appealed.state == .eligible && appealed.reviewDeadlineUnixMicros == InMemoryService.startMicros + 15 * Micros.day)
            _ = try await feedback.submit(kept.reviewID, stars: 5, comment: "great")
            let published = try await feedback.submit(appealed.reviewID, stars: 1, comment: "awful seller")
            #expect(published.state == .published && published.classification == .negative && published.flags.isEmpty)
            let before = try await feedback.scores()
            #expect(before.reviewCount == 2 && before.averageStarsHundredths == 300 && before.positiveRate180DBasisPoints == 5_000)

            let replied = try await feedback.reply(appealed.reviewID, "we are sorry")
            #expect(replied.replyState == .replied && replied.reply == "we are sorry")
            #expect(try await feedback.appeal(appealed.reviewID).appealState == .appealed)
            let upheld = try await feedback.rule(appealed.reviewID, .uphold)
            #expect(upheld.appealState == .upheld && upheld.state == .published && upheld.rulingNote == "ruled by platform support")

            let after = try await feedback.scores()
            #expect(after.reviewCount == 1 && after.averageStarsHundredths == 500 && after.negativeCount == 0)
            #expect(after.positiveRate180DBasisPoints == 10_000)
            #expect(try await feedback.feedTypes() == [
                Types.eligible, Types.eligible, Types.published, Types.published, Types.attentionSeller, Types.replied, Types.appealed,
                Types.appealUpheld,
            ])
            let events = try await feedback.events()
            #expect(events.allSatisfy { $0.source == "feedback" && $0.buyerID == "buyer_1" && $0.sellerID == "seller_1" })
            #expect(events.filter { $0.subjects.orderID == "ord_2" }.count == 6)
        }
    }

    @Test("the positive rate covers the 180 days before the call by the service clock; a review can be found by its line")
    func positiveRateWindow() async throws {
        try await FeedbackHarness.run { feedback in
            let old = try await feedback.deliver(order: "ord_1")
            _ = try await feedback.submit(old.reviewID, stars: 1, comment: "bad")  // published on day 0
            try feedback.advance(days: 100)
            for (order, stars) in [("ord_2", UInt32(5)), ("ord_3", 4), ("ord_4", 2)] {
                let review = try await feedback.deliver(order: order)
                _ = try await feedback.submit(review.reviewID, stars: stars, comment: "day 100")
            }
            // Day 100: 2 positive, 2 negative → 50.00 %.
            var scores = try await feedback.scores()
            #expect(scores.positiveCount180D == 2 && scores.negativeCount180D == 2 && scores.positiveRate180DBasisPoints == 5_000)
            try feedback.advance(days: 80, hours: 1)
            // Day 180 + 1 h: the day-0 review left the window → 2 ÷ 3 = 66.67 %; averages still count it.
            scores = try await feedback.scores()
            #expect(scores.positiveCount180D == 2 && scores.negativeCount180D == 1 && scores.positiveRate180DBasisPoints == 6_667)
            #expect(scores.reviewCount == 4 && scores.averageStarsHundredths == 300)
            #expect(scores.computedAtUnixMicros == feedback.clock.nowMicros)
            var byLine = Aftercare_Feedback_V1_GetReviewRequest()
            byLine.orderID = "ord_1"
            byLine.lineID = "line_1"
            #expect(try await feedback.client.unary(FeedbackMethods.getReview, byLine).reviewID == old.reviewID)
        }
    }

    @Test("an overturned appeal keeps the review in the scores; a deleted review leaves them")
    func overturnedAndDeleted() async throws {
        try await FeedbackHarness.run { feedback in
            let first = try await feedback.deliver(order: "ord_1")
            let second = try await feedback.deliver(order: "ord_2")
            _ = try await feedback.submit(first.reviewID, stars: 2, comment: "slow")
            _ = try await feedback.submit(second.reviewID, stars: 4)
            _ = try await feedback.appeal(first.reviewID, reason: .abusive)
            #expect(try await feedback.rule(first.reviewID, .overturn).appealState == .overturned)
            #expect(try await feedback.scores().reviewCount == 2)
            var delete = Aftercare_Feedback_V1_DeleteReviewRequest()
            delete.reviewID = second.reviewID
            delete.buyerID = "buyer_1"
            let removed = try await feedback.client.unary(FeedbackMethods.deleteReview, delete, options: .init(idempotencyKey: "del-1"))
            #expect(removed.state == .removed && removed.removedAtUnixMicros > 0)
            let scores = try await feedback.scores()
            #expect(scores.reviewCount == 1 && scores.negativeCount == 1 && scores.positiveRate180DBasisPoints == 0)
            #expect(try await feedback.feedTypes().suffix(3) == [Types.appealed, Types.appealOverturned, Types.removed])
        }
    }

    @Test("a late delivery is recorded as a reason; a flagged comment gets the seller's attention whatever the stars")
    func lateDeliveryAndFlags() async throws {
        try await FeedbackHarness.run { feedback in
            let promised = InMemoryService.startMicros - 2 * Micros.day
            let review = try await feedback.deliver(promised: promised)
            let published = try await feedback.submit(review.reviewID, stars: 5, comment: "Lovely, but the lid was broken 破损")
            #expect(published.classification == .positive)
            #expect(published.reasons.map(\.code) == ["late_delivery"])
            #expect(published.reasons.first?.detail == "delivered 48 hours after the promised date")
            #expect(published.flags.map(\.reason) == [.damage] && published.flags.first?.matched == ["broken", "破损"])
            let attention = try #require(try await feedback.events().last)
            #expect(attention.type == Types.attentionSeller && attention.subjects.orderID == "ord_1")
            #expect(attention.buyerID == "buyer_1" && attention.sellerID == "seller_1")
            let payload = try #require(attention.payload(as: Aftercare_Feedback_V1_Attention.self))
            #expect(payload.reviewID == review.reviewID && payload.flags.map(\.reason) == [.damage])
            #expect(payload.summary.contains("flagged damage (broken, 破损)") && payload.summary.contains("48 hours"))
            // An on-time, positive, unflagged review needs no attention.
            let quiet = try await feedback.deliver(order: "ord_2", promised: InMemoryService.startMicros)
            _ = try await feedback.submit(quiet.reviewID, stars: 4, comment: "fine")
            #expect(try await feedback.feedTypes().last == Types.published)
            #expect(try await feedback.get(quiet.reviewID).reasons.isEmpty)
        }
    }

    @Test("fraud and non-delivery comments, and a follow-up that adds a flag, each get the seller's attention")
    func fraudNonDeliveryAndFollowUp() async throws {
        try await FeedbackHarness.run { feedback in
            let fraud = try await feedback.deliver(order: "ord_1")
            #expect(try await feedback.submit(fraud.reviewID, stars: 3, comment: "假货, a counterfeit").flags.map(\.reason) == [.fraud])
            let missing = try await feedback.deliver(order: "ord_2")
            let published = try await feedback.submit(missing.reviewID, stars: 4, comment: "ok")
            #expect(published.flags.isEmpty)
            try feedback.advance(days: 89)
            var followUp = Aftercare_Feedback_V1_FollowUpReviewRequest()
            followUp.reviewID = missing.reviewID
            followUp.buyerID = "buyer_1"
            followUp.comment = "the second parcel never arrived, 没收到"
            let followed = try await feedback.client.unary(FeedbackMethods.followUpReview, followUp, options: .init(idempotencyKey: "f-1"))
            #expect(followed.followUpState == .added && followed.followUp == followUp.comment)
            #expect(followed.flags.map(\.reason) == [.nonDelivery] && followed.flags.first?.source == .followUp)
            #expect(try await feedback.feedTypes() == [
                Types.eligible, Types.published, Types.attentionSeller, Types.eligible, Types.published, Types.followUp, Types.attentionSeller,
            ])
            // Only one follow-up.
            let again = await #expect(throws: RPCError.self) {
                try await feedback.client.unary(FeedbackMethods.followUpReview, followUp, options: .init(idempotencyKey: "f-2"))
            }
            #expect(again?.code == .failedPrecondition && again?.message.contains("follow-up added") == true)
            // After 90 days the window is closed.
            try feedback.advance(days: 2)
            followUp.reviewID = fraud.reviewID
            let late = await #expect(throws: RPCError.self) {
                try await feedback.client.unary(FeedbackMethods.followUpReview, followUp, options: .init(idempotencyKey: "f-3"))
            }
            #expect(late?.code == .failedPrecondition && late?.message.contains("90 days") == true)
        }
    }

    @Test("the review window is paused by an open case and resumed when the last closes")
    func timerPausedByCases() async throws {
        try await FeedbackHarness.run { feedback in
            let review = try await feedback.deliver()
            try feedback.advance(days: 10)
            let paused = try await feedback.caseOpened("case_a")
            #expect(paused.timerPausedAtUnixMicros == InMemoryService.startMicros + 10 * Micros.day)
            #expect(paused.afterSalesInProgress && paused.openCaseIds == ["case_a"])
            _ = try await feedback.caseOpened("case_b")
            try feedback.advance(days: 30)
            #expect(try await feedback.expiry.expireDue() == 0)
            #expect(try await feedback.caseClosed("case_a").timerPausedAtUnixMicros > 0)  // case_b still open
            try feedback.advance(days: 1)
            let resumed = try await feedback.caseClosed("case_b")
            // Paused at day 10, resumed at day 41: 31 days later than the first deadline (day 15).
            #expect(resumed.timerPausedAtUnixMicros == 0 && !resumed.afterSalesInProgress)
            #expect(resumed.reviewDeadlineUnixMicros == InMemoryService.startMicros + 46 * Micros.day)
            try feedback.advance(days: 4, hours: 23)
            #expect(try await feedback.expiry.expireDue() == 0)
            try feedback.advance(hours: 1)
            #expect(try await feedback.expiry.expireDue() == 1)
            let expired = try await feedback.get(review.reviewID)
            #expect(expired.state == .expired && expired.expiredAtUnixMicros == InMemoryService.startMicros + 46 * Micros.day)
            #expect(try await feedback.feedTypes() == [
                Types.eligible, Types.caseOpened, Types.caseOpened, Types.caseClosed, Types.caseClosed, Types.expired,
            ])
        }
    }

    @Test("a case on two lines pauses both reviews, and its closing resumes both")
    func caseOnTwoLines() async throws {
        try await FeedbackHarness.run { feedback in
            let first = try await feedback.deliver(line: "line_1")
            let second = try await feedback.deliver(line: "line_2")
            try feedback.advance(days: 2)
            #expect(try await feedback.caseOpened("case_a", line: "line_1").afterSalesInProgress)
            #expect(try await feedback.caseOpened("case_a", line: "line_2").afterSalesInProgress)
            #expect(try await feedback.caseOpened("case_a", line: "line_2").openCaseIds == ["case_a"])  // a repeat changes nothing
            try feedback.advance(days: 1)
            let closed = try await feedback.caseClosed("case_a")
            #expect(closed.reviewID == first.reviewID && !closed.afterSalesInProgress)
            let resumed = try await feedback.get(second.reviewID)
            #expect(!resumed.afterSalesInProgress && resumed.reviewDeadlineUnixMicros == InMemoryService.startMicros + 16 * Micros.day)
            _ = try await feedback.caseClosed("case_a")
            #expect(try await feedback.feedTypes() == [
                Types.eligible, Types.eligible, Types.caseOpened, Types.caseOpened, Types.caseClosed, Types.caseClosed,
            ])
        }
    }

    @Test("a case opened before the delivery: the review starts paused")
    func caseBeforeDelivery() async throws {
        try await FeedbackHarness.run { feedback in
            let none = try await feedback.caseOpened("case_a")
            #expect(none.reviewID.isEmpty)
            let review = try await feedback.deliver()
            #expect(review.timerPausedAtUnixMicros == InMemoryService.startMicros && review.afterSalesInProgress)
            try feedback.advance(days: 20)
            #expect(try await feedback.expiry.expireDue() == 0)
            let resumed = try await feedback.caseClosed("case_a")
            #expect(resumed.reviewDeadlineUnixMicros == InMemoryService.startMicros + 35 * Micros.day)
        }
    }

    @Test("a call that touches a due review expires it first: a late submit is refused naming the state, the expiry stays")
    func expiryOnTouch() async throws {
        try await FeedbackHarness.run { feedback in
            let review = try await feedback.deliver()
            try feedback.advance(days: 15)
            let error = await #expect(throws: RPCError.self) { try await feedback.submit(review.reviewID, stars: 5) }
            #expect(error?.code == .failedPrecondition && error?.message.contains("review is expired") == true)
            #expect(try await feedback.get(review.reviewID).state == .expired)
            #expect(try await feedback.feedTypes() == [Types.eligible, Types.expired])
            #expect(try await feedback.expiry.expireDue() == 0)
        }
    }

    @Test("the background pass expires every due review, a batch per transaction, and only those")
    func expiryPass() async throws {
        try await FeedbackHarness.run { feedback in
            for order in 1...5 { _ = try await feedback.deliver(order: "ord_\(order)") }
            try feedback.advance(days: 1)
            let later = try await feedback.deliver(order: "ord_6")
            try feedback.advance(days: 14)
            #expect(try await feedback.expiry.expireDue() == 5)  // batch of 2: three transactions
            #expect(try await feedback.get(later.reviewID).state == .eligible)
            #expect(try await feedback.feedTypes().filter { $0 == Types.expired }.count == 5)
        }
    }

    @Test("the gateway's facts are idempotent by natural key; actions by idempotency key")
    func idempotentMutations() async throws {
        try await FeedbackHarness.run { feedback in
            let first = try await feedback.deliver()
            #expect(try await feedback.deliver() == first)
            let other = await #expect(throws: RPCError.self) { try await feedback.deliver(delivery: "shp_2") }
            #expect(other?.code == .alreadyExists && other?.message.contains("delivery_id:") == true)
            _ = try await feedback.caseOpened("case_a")
            let opened = try await feedback.caseOpened("case_a")
            _ = try await feedback.caseClosed("case_a")
            let closed = try await feedback.caseClosed("case_a")
            #expect(opened.timerPausedAtUnixMicros > 0 && closed.timerPausedAtUnixMicros == 0)
            let submitted = try await feedback.submit(first.reviewID, stars: 4, key: "k-1")
            #expect(try await feedback.submit(first.reviewID, stars: 4, key: "k-1") == submitted)
            let reused = await #expect(throws: RPCError.self) { try await feedback.submit(first.reviewID, stars: 5, key: "k-1") }
            #expect(reused?.code == .invalidArgument && reused?.message.contains("idempotency_key") == true)
            #expect(try await feedback.feedTypes() == [Types.eligible, Types.caseOpened, Types.caseClosed, Types.published])
        }
    }

    @Test("lists by seller, buyer and product, newest first, page by page")
    func lists() async throws {
        try await FeedbackHarness.run { feedback in
            var ids: [String] = []
            for index in 1...5 {
                try feedback.advance(hours: 1)
                let review = try await feedback.deliver(
                    order: "ord_\(index)", product: index.isMultiple(of: 2) ? "sku_even" : "sku_odd",
                    buyer: index == 5 ? "buyer_2" : "buyer_1")
                ids.append(review.reviewID)
            }
            _ = try await feedback.deliver(order: "ord_9", product: "sku_other", seller: "seller_2", buyer: "buyer_3")
            func pages(_ edit: (inout Aftercare_Feedback_V1_ListReviewsRequest) -> Void) async throws -> [[String]] {
                var request = Aftercare_Feedback_V1_ListReviewsRequest()
                edit(&request)
                request.pageSize = 2
                var pages: [[String]] = []
                repeat {
                    let page = try await feedback.client.unary(FeedbackMethods.listReviews, request)
                    pages.append(page.reviews.map(\.reviewID))
                    request.pageToken = page.nextPageToken
                } while !request.pageToken.isEmpty
                return pages
            }
            #expect(try await pages { $0.sellerID = "seller_1" } == [[ids[4], ids[3]], [ids[2], ids[1]], [ids[0]]])
            #expect(try await pages { $0.buyerID = "buyer_1" } == [[ids[3], ids[2]], [ids[1], ids[0]]])
            #expect(try await pages { $0.productID = "sku_even" } == [[ids[3], ids[1]]])
            _ = try await feedback.submit(ids[2], stars: 5)
            #expect(try await pages { $0.sellerID = "seller_1"; $0.state = .published } == [[ids[2]]])
        }
    }

    @Test("platform feedback is classified and flagged; negative or flagged feedback gets the platform team's attention")
    func platformFeedback() async throws {
        try await FeedbackHarness.run { feedback in
            func submit(_ stars: UInt32, _ comment: String, key: String) async throws -> Aftercare_Feedback_V1_PlatformFeedback {
                var request = Aftercare_Feedback_V1_SubmitPlatformFeedbackRequest()
                request.buyerID = "buyer_1"
                request.orderID = "ord_1"
                request.stars = stars
                request.scores.purchaseSmoothness = stars
                request.scores.supportHelpfulness = 3
                request.comment = comment
                return try await feedback.client.unary(FeedbackMethods.submitPlatformFeedback, request, options: .init(idempotencyKey: key))
            }
            let good = try await submit(5, "smooth checkout", key: "p-1")
            try feedback.advance(hours: 1)
            #expect(good.classification == .positive && good.flags.isEmpty)
            let bad = try await submit(2, "support never answered", key: "p-2")
            #expect(bad.classification == .negative)
            let flagged = try await feedback.client.unary(
                FeedbackMethods.submitPlatformFeedback,
                {
                    var request = Aftercare_Feedback_V1_SubmitPlatformFeedbackRequest()
                    request.buyerID = "buyer_2"
                    request.stars = 4
                    request.scores.purchaseSmoothness = 4
                    request.scores.supportHelpfulness = 4
                    request.comment = "app fine but my parcel was never delivered"
                    return request
                }(), options: .init(idempotencyKey: "p-3"))
            #expect(flagged.classification == .positive && flagged.flags.map(\.reason) == [.nonDelivery])
            #expect(try await feedback.feedTypes() == [
                Types.platformFeedbackSubmitted, Types.platformFeedbackSubmitted, Types.attentionPlatform, Types.platformFeedbackSubmitted,
                Types.attentionPlatform,
            ])
            let attention = try #require(try await feedback.events().last?.payload(as: Aftercare_Feedback_V1_Attention.self))
            #expect(attention.platformFeedbackID == flagged.feedbackID)
            var list = Aftercare_Feedback_V1_ListPlatformFeedbackRequest()
            list.buyerID = "buyer_1"
            let page = try await feedback.client.unary(FeedbackMethods.listPlatformFeedback, list)
            #expect(page.feedback.map(\.feedbackID) == [bad.feedbackID, good.feedbackID] && page.nextPageToken.isEmpty)
        }
    }
}
