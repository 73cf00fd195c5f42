import AftercareRPC
package import AftercareServiceKit
import Foundation

/// Every SQL statement of feedback, behind methods that take the caller's transaction: one store
/// on the database layer, run by both of its drivers (SQLite through GRDB, PostgreSQL through
/// postgres-nio).
package struct FeedbackStore: Sendable {
    package init() {}

    // MARK: Reviews

    static let reviewColumns = """
        review_id, order_id, line_id, delivery_id, product_id, buyer_id, seller_id, state, reply_state, follow_up_state,
        appeal_state, delivered_at, promised_delivery_at, review_deadline, timer_paused_at, stars, score_item_as_described,
        score_seller_service, score_delivery_speed, comment, tags, classification, reasons, flags, published_at, follow_up,
        followed_up_at, reply, replied_at, appeal_reason, appeal_explanation, appealed_at, ruling_note, ruled_at, expired_at,
        removed_at, created_at, updated_at
        """

    /// The columns before `state` (ids and parties) never change.
    static let firstChangingColumn = 7
    /// Inserts a review with every column, unless its id is taken.
    static let insertSQL = "INSERT INTO reviews (\(reviewColumns)) VALUES (\(sqlPlaceholders(count: 38))) ON CONFLICT DO NOTHING"
    /// Writes every column from `state` on, by review id.
    static let updateSQL: String = {
        let names = reviewColumns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return "UPDATE reviews SET \(names[firstChangingColumn...].map { "\($0) = ?" }.joined(separator: ", ")) WHERE review_id = ?"
    }()

    /// Inserts a new review; `false` (nothing written) when the order line already has one — the
    /// insert decides, so two writers racing for one line never both create it.
    package func insert(_ review: ReviewRecord, in db: any SQLConnection) throws -> Bool {
        try db.execute(Self.insertSQL, try Self.values(review)) > 0
    }

    /// Writes every field that may change after creation.
    package func update(_ review: ReviewRecord, in db: any SQLConnection) throws {
        let changing = Array(try Self.values(review)[Self.firstChangingColumn...])
        try db.execute(Self.updateSQL, changing + [review.reviewID])
    }

    /// Takes `reviewID`'s row lock for the rest of the transaction (PostgreSQL: a concurrent writer
    /// of the same review waits; SQLite serializes writes anyway). Every change of a review takes it
    /// before reading. `false` when no such review exists.
    package func lockReview(_ reviewID: String, in db: any SQLConnection) throws -> Bool {
        try db.execute("UPDATE reviews SET updated_at = updated_at WHERE review_id = ?", [reviewID]) > 0
    }

    package func review(_ reviewID: String, in db: any SQLConnection) throws -> ReviewRecord? {
        try db.queryOne("SELECT * FROM reviews WHERE review_id = ?", [reviewID]).map(Self.review(from:))
    }

    package func review(orderID: String, lineID: String, in db: any SQLConnection) throws -> ReviewRecord? {
        try db.queryOne("SELECT * FROM reviews WHERE order_id = ? AND line_id = ?", [orderID, lineID]).map(Self.review(from:))
    }

    /// Which column a review list filters on.
    package enum ListKey: String, Sendable {
        case seller = "seller_id"
        case buyer = "buyer_id"
        case product = "product_id"
    }

    /// Reviews whose `key` column is `value`, newest first (by id, which sorts by creation), after
    /// the id `before` when given; at most `limit`.
    package func reviews(
        _ key: ListKey, _ value: String, state: ReviewState?, before: String?, limit: Int, in db: any SQLConnection
    ) throws -> [ReviewRecord] {
        var sql = "SELECT * FROM reviews WHERE \(key.rawValue) = ?"
        var arguments: [any SQLConvertible] = [value]
        if let state {
            sql += " AND state = ?"
            arguments.append(state.rawValue)
        }
        if let before {
            sql += " AND review_id < ?"
            arguments.append(before)
        }
        sql += " ORDER BY review_id DESC LIMIT ?"
        arguments.append(limit)
        return try db.query(sql, arguments).map(Self.review(from:))
    }

    /// A seller's reviews that count in its scores: published, appeal not upheld.
    package func scoredReviews(sellerID: String, in db: any SQLConnection) throws -> [ReviewRecord] {
        try db.query(
            "SELECT * FROM reviews WHERE seller_id = ? AND state = ? AND appeal_state <> ? ORDER BY review_id",
            [sellerID, ReviewState.published.rawValue, AppealState.upheld.rawValue]
        ).map(Self.review(from:))
    }

    /// Ids of ELIGIBLE reviews whose running timer is due at `now`, oldest deadline first.
    package func dueReviewIDs(atMicros now: Int64, limit: Int, in db: any SQLConnection) throws -> [String] {
        try db.queryValues(
            """
                SELECT review_id FROM reviews
                WHERE state = ? AND timer_paused_at IS NULL AND review_deadline <= ?
                ORDER BY review_deadline, review_id LIMIT ?
                """,
            [ReviewState.eligible.rawValue, now, limit])
    }

    /// The review's values in the order of ``reviewColumns``.
    private static func values(_ review: ReviewRecord) throws -> [any SQLConvertible] {
        [
            review.reviewID, review.orderID, review.lineID, review.deliveryID, review.productID, review.buyerID, review.sellerID,
            review.status.review.rawValue, review.status.reply.rawValue, review.status.followUp.rawValue, review.status.appeal.rawValue,
            review.deliveredAtMicros, review.promisedDeliveryMicros, review.timer.deadlineMicros, review.timer.pausedAtMicros,
            review.stars, review.itemAsDescribed, review.sellerService, review.deliverySpeed, review.comment, try Self.json(review.tags),
            review.classification?.rawValue, try Self.json(review.reasons), try Self.json(review.flags), review.publishedAtMicros,
            review.followUp, review.followedUpAtMicros, review.reply, review.repliedAtMicros, review.appealReason?.rawValue,
            review.appealExplanation, review.appealedAtMicros, review.rulingNote, review.ruledAtMicros, review.expiredAtMicros,
            review.removedAtMicros, review.createdAtMicros, review.updatedAtMicros,
        ]
    }

    private static func review(from row: SQLRow) throws -> ReviewRecord {
        let id: String = try row["review_id"]
        let context = "review \(id)"
        return try ReviewRecord(
            reviewID: id, orderID: row["order_id"], lineID: row["line_id"], deliveryID: row["delivery_id"], productID: row["product_id"],
            buyerID: row["buyer_id"], sellerID: row["seller_id"],
            status: ReviewStatus(
                try decode(row, "state", context), reply: try decode(row, "reply_state", context),
                followUp: try decode(row, "follow_up_state", context), appeal: try decode(row, "appeal_state", context)),
            deliveredAtMicros: row["delivered_at"], promisedDeliveryMicros: row["promised_delivery_at"],
            timer: ReviewTimer(deadlineMicros: row["review_deadline"], pausedAtMicros: row["timer_paused_at"]),
            stars: row["stars"], itemAsDescribed: row["score_item_as_described"], sellerService: row["score_seller_service"],
            deliverySpeed: row["score_delivery_speed"], comment: row["comment"], tags: try fromJSON(row["tags"], context),
            classification: try decodeOptional(row, "classification", context), reasons: try fromJSON(row["reasons"], context),
            flags: try fromJSON(row["flags"], context), publishedAtMicros: row["published_at"], followUp: row["follow_up"],
            followedUpAtMicros: row["followed_up_at"], reply: row["reply"], repliedAtMicros: row["replied_at"],
            appealReason: try decodeOptional(row, "appeal_reason", context), appealExplanation: row["appeal_explanation"],
            appealedAtMicros: row["appealed_at"], rulingNote: row["ruling_note"], ruledAtMicros: row["ruled_at"],
            expiredAtMicros: row["expired_at"], removedAtMicros: row["removed_at"], createdAtMicros: row["created_at"],
            updatedAtMicros: row["updated_at"])
    }

    // MARK: Cases on order lines

    /// Records a case opened on a line; `false` (nothing written) when that case was already
    /// recorded on that line.
    package func insert(_ lineCase: LineCaseRecord, in db: any SQLConnection) throws -> Bool {
        try db.execute(
            "INSERT INTO feedback_line_cases (case_id, order_id, line_id, opened_at, closed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [lineCase.caseID, lineCase.orderID, lineCase.lineID, lineCase.openedAtMicros, lineCase.closedAtMicros]) > 0
    }

    /// Closes a case on one line at `now`; `false` when it was not open there.
    package func close(caseID: String, lineID: String, atMicros now: Int64, in db: any SQLConnection) throws -> Bool {
        try db.execute("UPDATE feedback_line_cases SET closed_at = ? WHERE case_id = ? AND line_id = ? AND closed_at IS NULL", [now, caseID, lineID]) > 0
    }

    /// The lines a case was recorded on, by line id.
    package func lineCases(_ caseID: String, in db: any SQLConnection) throws -> [LineCaseRecord] {
        try db.query("SELECT * FROM feedback_line_cases WHERE case_id = ? ORDER BY line_id", [caseID]).map { row in
            try LineCaseRecord(
                caseID: row["case_id"], orderID: row["order_id"], lineID: row["line_id"], openedAtMicros: row["opened_at"],
                closedAtMicros: row["closed_at"])
        }
    }

    /// The ids of the open cases on an order line, oldest first.
    package func openCaseIDs(orderID: String, lineID: String, in db: any SQLConnection) throws -> [String] {
        try db.queryValues(
            "SELECT case_id FROM feedback_line_cases WHERE order_id = ? AND line_id = ? AND closed_at IS NULL ORDER BY opened_at, case_id", [orderID, lineID])
    }

    // MARK: Platform feedback

    package func insert(_ feedback: PlatformFeedbackRecord, in db: any SQLConnection) throws {
        try db.execute(
            """
                INSERT INTO platform_feedback (
                    feedback_id, buyer_id, order_id, stars, score_purchase_smoothness, score_support_helpfulness, comment, tags,
                    classification, flags, created_at
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            [
                feedback.feedbackID, feedback.buyerID, feedback.orderID, feedback.stars, feedback.purchaseSmoothness,
                feedback.supportHelpfulness, feedback.comment, try Self.json(feedback.tags), feedback.classification.rawValue,
                try Self.json(feedback.flags), feedback.createdAtMicros,
            ])
    }

    /// Platform feedback (one buyer's when given), newest first, after the id `before`; at most `limit`.
    package func platformFeedback(buyerID: String?, before: String?, limit: Int, in db: any SQLConnection) throws -> [PlatformFeedbackRecord] {
        var conditions: [String] = []
        var arguments: [any SQLConvertible] = []
        if let buyerID {
            conditions.append("buyer_id = ?")
            arguments.append(buyerID)
        }
        if let before {
            conditions.append("feedback_id < ?")
            arguments.append(before)
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        arguments.append(limit)
        return try db.query("SELECT * FROM platform_feedback\(filter) ORDER BY feedback_id DESC LIMIT ?", arguments)
            .map { row in
                let id: String = try row["feedback_id"]
                let context = "platform feedback \(id)"
                return try PlatformFeedbackRecord(
                    feedbackID: id, buyerID: row["buyer_id"], orderID: row["order_id"], stars: row["stars"],
                    purchaseSmoothness: row["score_purchase_smoothness"], supportHelpfulness: row["score_support_helpfulness"],
                    comment: row["comment"], tags: try Self.fromJSON(row["tags"], context),
                    classification: try Self.decode(row, "classification", context), flags: try Self.fromJSON(row["flags"], context),
                    createdAtMicros: row["created_at"])
            }
    }

    // MARK: Encoding

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func fromJSON<T: Decodable>(_ text: String, _ context: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw RPCError(.dataLoss, "\(context) holds unreadable JSON: \(error)")
        }
    }

    private static func decode<T: RawRepresentable<String>>(_ row: SQLRow, _ column: String, _ context: String) throws -> T {
        let text: String = try row[column]
        guard let value = T(rawValue: text) else { throw RPCError(.dataLoss, "\(context) holds an unknown \(column) \(text)") }
        return value
    }

    private static func decodeOptional<T: RawRepresentable<String>>(_ row: SQLRow, _ column: String, _ context: String) throws -> T? {
        guard let text: String = try row[column] else { return nil }
        guard let value = T(rawValue: text) else { throw RPCError(.dataLoss, "\(context) holds an unknown \(column) \(text)") }
        return value
    }
}
