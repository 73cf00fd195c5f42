@testable import AftercareFeedback
import AftercareServiceKit
import AftercareTesting
import Testing

/// Feedback's store, the same code on both drivers of the database layer: SQLite (GRDB) and
/// PostgreSQL (postgres-nio, a throw-away server of the test process's own).
@Suite("Feedback store")
struct FeedbackStoreTests {
    let store = FeedbackStore()

    static func review(_ id: String, line: String, seller: String = "seller_1", deadline: Int64 = 1_000) -> ReviewRecord {
        ReviewRecord(
            reviewID: id, orderID: "ord_1", lineID: line, deliveryID: "shp_1", productID: "sku_1", buyerID: "buyer_1", sellerID: seller,
            status: ReviewStatus(.eligible), deliveredAtMicros: 10, promisedDeliveryMicros: 0, timer: ReviewTimer(deadlineMicros: deadline),
            createdAtMicros: 10, updatedAtMicros: 10)
    }

    @Test("reviews: one per line (the insert decides), locked, updated, found, listed and due alike on both drivers", arguments: TestSQLDriver.allCases)
    func reviews(driver: TestSQLDriver) async throws {
        let store = self.store
        try await driver.withDatabase(migrations: .feedback) { database in
            let inserted = try await database.transaction { db in
                [
                    try store.insert(Self.review("rev_1", line: "line_1"), in: db),
                    try store.insert(Self.review("rev_2", line: "line_2", deadline: 500), in: db),
                    try store.insert(Self.review("rev_3", line: "line_1"), in: db),
                ]
            }
            #expect(inserted == [true, true, false])
            var published = Self.review("rev_1", line: "line_1")
            published.status = ReviewStatus(.published, appeal: .appealed)
            published.stars = 5
            published.classification = .positive
            published.tags = ["fit", "fast"]
            published.reasons = [ClassificationReason(code: "stars", detail: "5 stars")]
            published.publishedAtMicros = 20
            published.timer.pausedAtMicros = 15
            published.appealReason = .extortion
            let updated = published
            let locked = try await database.transaction { db in
                let locked = [try store.lockReview("rev_1", in: db), try store.lockReview("rev_9", in: db)]
                try store.update(updated, in: db)
                return locked
            }
            #expect(locked == [true, false])
            let found = try await database.snapshot { db in try store.review("rev_1", in: db) }
            #expect(found == updated)
            try await database.snapshot { (db: any SQLConnection) throws in
                #expect(try store.review(orderID: "ord_1", lineID: "line_2", in: db)?.reviewID == "rev_2")
                #expect(try store.review("rev_9", in: db) == nil)
                #expect(try store.reviews(.seller, "seller_1", state: nil, before: nil, limit: 10, in: db).map(\.reviewID) == ["rev_2", "rev_1"])
                #expect(try store.reviews(.seller, "seller_1", state: .eligible, before: nil, limit: 10, in: db).map(\.reviewID) == ["rev_2"])
                #expect(try store.reviews(.buyer, "buyer_1", state: nil, before: "rev_2", limit: 10, in: db).map(\.reviewID) == ["rev_1"])
                // A seller's reviews a page at a time, the next page after the last one's id.
                #expect(try store.reviews(.seller, "seller_1", state: nil, before: nil, limit: 1, in: db).map(\.reviewID) == ["rev_2"])
                #expect(try store.reviews(.seller, "seller_1", state: nil, before: "rev_2", limit: 1, in: db).map(\.reviewID) == ["rev_1"])
                #expect(try store.reviews(.seller, "seller_1", state: nil, before: "rev_1", limit: 1, in: db).isEmpty)
                #expect(try store.reviews(.buyer, "buyer_1", state: nil, before: nil, limit: 10, in: db).map(\.reviewID) == ["rev_2", "rev_1"])
                #expect(try store.reviews(.product, "sku_1", state: nil, before: nil, limit: 10, in: db).map(\.reviewID) == ["rev_2", "rev_1"])
                #expect(try store.reviews(.product, "sku_9", state: nil, before: nil, limit: 10, in: db).isEmpty)
                #expect(try store.scoredReviews(sellerID: "seller_1", in: db).map(\.reviewID) == ["rev_1"])
                #expect(try store.dueReviewIDs(atMicros: 600, limit: 10, in: db) == ["rev_2"])
                #expect(try store.dueReviewIDs(atMicros: 400, limit: 10, in: db).isEmpty)
            }
        }
    }

    @Test("cases on lines and platform feedback, alike on both drivers", arguments: TestSQLDriver.allCases)
    func casesAndPlatformFeedback(driver: TestSQLDriver) async throws {
        let store = self.store
        try await driver.withDatabase(migrations: .feedback) { database in
            let outcomes = try await database.transaction { db in
                let opened = [
                    try store.insert(LineCaseRecord(caseID: "case_1", orderID: "ord_1", lineID: "line_1", openedAtMicros: 5), in: db),
                    try store.insert(LineCaseRecord(caseID: "case_1", orderID: "ord_1", lineID: "line_2", openedAtMicros: 5), in: db),
                    try store.insert(LineCaseRecord(caseID: "case_1", orderID: "ord_1", lineID: "line_1", openedAtMicros: 6), in: db),
                ]
                let closed = [
                    try store.close(caseID: "case_1", lineID: "line_2", atMicros: 9, in: db),
                    try store.close(caseID: "case_1", lineID: "line_2", atMicros: 10, in: db),
                ]
                for (index, buyer) in ["buyer_1", "buyer_2", "buyer_1"].enumerated() {
                    try store.insert(
                        PlatformFeedbackRecord(
                            feedbackID: "pfb_\(index)", buyerID: buyer, orderID: "ord_1", stars: 4, purchaseSmoothness: 4, supportHelpfulness: 3,
                            comment: "smooth", tags: ["checkout"], classification: .positive, flags: [], createdAtMicros: Int64(index)), in: db)
                }
                return opened + closed
            }
            #expect(outcomes == [true, true, false, true, false])
            try await database.snapshot { (db: any SQLConnection) throws in
                #expect(try store.lineCases("case_1", in: db).map(\.closedAtMicros) == [nil, 9])
                #expect(try store.openCaseIDs(orderID: "ord_1", lineID: "line_1", in: db) == ["case_1"])
                #expect(try store.openCaseIDs(orderID: "ord_1", lineID: "line_2", in: db).isEmpty)
                #expect(try store.platformFeedback(buyerID: "buyer_1", before: nil, limit: 10, in: db).map(\.feedbackID) == ["pfb_2", "pfb_0"])
                #expect(try store.platformFeedback(buyerID: nil, before: "pfb_2", limit: 1, in: db).map(\.feedbackID) == ["pfb_1"])
                #expect(try store.platformFeedback(buyerID: nil, before: nil, limit: 10, in: db).first?.tags == ["checkout"])
            }
        }
    }
}
