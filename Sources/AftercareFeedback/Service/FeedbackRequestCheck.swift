import AftercareFeedbackAPI
import AftercareRPC
import AftercareServiceKit
import Foundation

/// Checks of feedback's requests before anything is written; each throws INVALID_ARGUMENT naming
/// the field.
enum FeedbackRequestCheck {
    /// Comments, replies, explanations and notes.
    static let maxTextLength = 2_000
    static let maxTags = 10
    static let maxTagLength = 32
    /// The largest page.
    static let maxPageSize: UInt32 = 100
    static let defaultPageSize = 20
    /// 2100-01-01: later times are refused, so deadlines never overflow.
    static let latestMicros: Int64 = 4_102_444_800_000_000

    static func recordDelivery(_ request: Aftercare_Feedback_V1_RecordDeliveryRequest) throws {
        try RequestCheck.required(request.orderID, "order_id")
        try RequestCheck.required(request.lineID, "line_id")
        try RequestCheck.required(request.deliveryID, "delivery_id")
        try RequestCheck.required(request.productID, "product_id")
        try RequestCheck.required(request.buyerID, "buyer_id")
        try RequestCheck.required(request.sellerID, "seller_id")
        try self.time(request.deliveredAtUnixMicros, "delivered_at_unix_micros")
        if request.promisedDeliveryUnixMicros != 0 {
            try self.time(request.promisedDeliveryUnixMicros, "promised_delivery_unix_micros")
        }
    }

    static func caseOpened(_ request: Aftercare_Feedback_V1_RecordCaseOpenedRequest) throws {
        try RequestCheck.required(request.caseID, "case_id")
        try RequestCheck.required(request.orderID, "order_id")
        try RequestCheck.required(request.lineID, "line_id")
    }

    static func caseClosed(_ request: Aftercare_Feedback_V1_RecordCaseClosedRequest) throws {
        try RequestCheck.required(request.caseID, "case_id")
    }

    static func submit(_ request: Aftercare_Feedback_V1_SubmitReviewRequest) throws {
        try RequestCheck.required(request.reviewID, "review_id")
        try RequestCheck.required(request.buyerID, "buyer_id")
        try self.rating(request.stars, "stars")
        try self.rating(request.scores.itemAsDescribed, "scores.item_as_described")
        try self.rating(request.scores.sellerService, "scores.seller_service")
        try self.rating(request.scores.deliverySpeed, "scores.delivery_speed")
        try self.comment(request.comment, stars: request.stars)
        try self.tags(request.tags)
    }

    static func followUp(_ request: Aftercare_Feedback_V1_FollowUpReviewRequest) throws {
        try RequestCheck.required(request.reviewID, "review_id")
        try RequestCheck.required(request.buyerID, "buyer_id")
        try RequestCheck.required(request.comment, "comment", maxLength: self.maxTextLength)
    }

    static func reply(_ request: Aftercare_Feedback_V1_ReplyToReviewRequest) throws {
        try RequestCheck.required(request.reviewID, "review_id")
        try RequestCheck.required(request.sellerID, "seller_id")
        try RequestCheck.required(request.reply, "reply", maxLength: self.maxTextLength)
    }

    static func appeal(_ request: Aftercare_Feedback_V1_AppealReviewRequest) throws -> AppealReason {
        try RequestCheck.required(request.reviewID, "review_id")
        try RequestCheck.required(request.sellerID, "seller_id")
        guard let reason = AppealReason(request.reason) else {
            throw RPCError.invalidField("reason", "must be abusive, extortion, wrong_product or privacy")
        }
        try RequestCheck.optional(request.explanation, "explanation", maxLength: self.maxTextLength)
        return reason
    }

    static func rule(_ request: Aftercare_Feedback_V1_RuleOnAppealRequest) throws {
        try RequestCheck.required(request.reviewID, "review_id")
        guard request.ruling == .uphold || request.ruling == .overturn else {
            throw RPCError.invalidField("ruling", "must be APPEAL_RULING_UPHOLD or APPEAL_RULING_OVERTURN")
        }
        try RequestCheck.required(request.note, "note", maxLength: self.maxTextLength)
    }

    static func delete(_ request: Aftercare_Feedback_V1_DeleteReviewRequest) throws {
        try RequestCheck.required(request.reviewID, "review_id")
        try RequestCheck.required(request.buyerID, "buyer_id")
    }

    /// `review_id`, or `order_id` with `line_id`.
    static func get(_ request: Aftercare_Feedback_V1_GetReviewRequest) throws {
        if request.reviewID.isEmpty {
            try RequestCheck.required(request.orderID, "order_id")
            try RequestCheck.required(request.lineID, "line_id")
        } else {
            try RequestCheck.required(request.reviewID, "review_id")
        }
    }

    /// The list's key column and value: exactly one of seller_id, buyer_id, product_id.
    static func list(_ request: Aftercare_Feedback_V1_ListReviewsRequest) throws -> (FeedbackStore.ListKey, String, ReviewState?, Int) {
        let keys: [(FeedbackStore.ListKey, String, String)] = [
            (.seller, "seller_id", request.sellerID), (.buyer, "buyer_id", request.buyerID), (.product, "product_id", request.productID),
        ]
        let given = keys.filter { !$0.2.isEmpty }
        guard given.count == 1, let (key, field, value) = given.first else {
            throw RPCError.invalidField("seller_id", "give exactly one of seller_id, buyer_id and product_id")
        }
        try RequestCheck.required(value, field)
        try RequestCheck.optional(request.pageToken, "page_token")
        var state: ReviewState?
        if request.state != .unspecified {
            guard let known = ReviewState(request.state) else { throw RPCError.invalidField("state", "unknown state \(request.state)") }
            state = known
        }
        return (key, value, state, try self.pageSize(request.pageSize))
    }

    static func scores(_ request: Aftercare_Feedback_V1_GetSellerScoresRequest) throws {
        try RequestCheck.required(request.sellerID, "seller_id")
    }

    static func platformFeedback(_ request: Aftercare_Feedback_V1_SubmitPlatformFeedbackRequest) throws {
        try RequestCheck.required(request.buyerID, "buyer_id")
        try RequestCheck.optional(request.orderID, "order_id")
        try self.rating(request.stars, "stars")
        try self.rating(request.scores.purchaseSmoothness, "scores.purchase_smoothness")
        try self.rating(request.scores.supportHelpfulness, "scores.support_helpfulness")
        try self.comment(request.comment, stars: request.stars)
        try self.tags(request.tags)
    }

    static func listPlatformFeedback(_ request: Aftercare_Feedback_V1_ListPlatformFeedbackRequest) throws -> Int {
        try RequestCheck.optional(request.buyerID, "buyer_id")
        try RequestCheck.optional(request.pageToken, "page_token")
        return try self.pageSize(request.pageSize)
    }

    private static func rating(_ value: UInt32, _ field: String) throws {
        guard (1...5).contains(value) else { throw RPCError.invalidField(field, "must be 1 to 5, got \(value)") }
    }

    /// Required for 3 stars or fewer.
    private static func comment(_ comment: String, stars: UInt32) throws {
        if stars <= 3 && comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw RPCError.invalidField("comment", "required for a rating of 3 stars or fewer")
        }
        try RequestCheck.optional(comment, "comment", maxLength: self.maxTextLength)
    }

    private static func tags(_ tags: [String]) throws {
        guard tags.count <= self.maxTags else { throw RPCError.invalidField("tags", "at most \(self.maxTags), got \(tags.count)") }
        for tag in tags { try RequestCheck.required(tag, "tags", maxLength: self.maxTagLength) }
    }

    private static func time(_ micros: Int64, _ field: String) throws {
        guard micros > 0, micros < self.latestMicros else {
            throw RPCError.invalidField(field, "must be a time after 1970 and before 2100, got \(micros)")
        }
    }

    private static func pageSize(_ size: UInt32) throws -> Int {
        try RequestCheck.pageSize(size, default: self.defaultPageSize, maximum: Int(self.maxPageSize))
    }
}
