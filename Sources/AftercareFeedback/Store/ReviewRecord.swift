/// A review as stored: one per delivered order line.
package struct ReviewRecord: Sendable, Hashable {
    package var reviewID: String
    package var orderID: String
    package var lineID: String
    package var deliveryID: String
    package var productID: String
    package var buyerID: String
    package var sellerID: String
    package var status: ReviewStatus
    package var deliveredAtMicros: Int64
    /// 0 when no date was promised.
    package var promisedDeliveryMicros: Int64
    package var timer: ReviewTimer
    /// 0 until published.
    package var stars = 0
    package var itemAsDescribed = 0
    package var sellerService = 0
    package var deliverySpeed = 0
    package var comment = ""
    package var tags: [String] = []
    package var classification: Classification?
    package var reasons: [ClassificationReason] = []
    package var flags: [ReviewFlag] = []
    package var publishedAtMicros: Int64?
    package var followUp = ""
    package var followedUpAtMicros: Int64?
    package var reply = ""
    package var repliedAtMicros: Int64?
    package var appealReason: AppealReason?
    package var appealExplanation = ""
    package var appealedAtMicros: Int64?
    package var rulingNote = ""
    package var ruledAtMicros: Int64?
    package var expiredAtMicros: Int64?
    package var removedAtMicros: Int64?
    package var createdAtMicros: Int64
    package var updatedAtMicros: Int64

    /// What this review adds to its seller's scores, if it counts (published, appeal not upheld).
    package var scored: ScoredReview? {
        guard self.status.review == .published, self.status.appeal != .upheld, let classification, let publishedAtMicros else {
            return nil
        }
        return ScoredReview(
            stars: self.stars, itemAsDescribed: self.itemAsDescribed, sellerService: self.sellerService,
            deliverySpeed: self.deliverySpeed, classification: classification, flagged: !self.flags.isEmpty,
            publishedAtMicros: publishedAtMicros)
    }
}

/// A case on an order line, as the gateway reported it.
package struct LineCaseRecord: Sendable, Hashable {
    package var caseID: String
    package var orderID: String
    package var lineID: String
    package var openedAtMicros: Int64
    package var closedAtMicros: Int64?
}

/// A buyer's feedback on the platform.
package struct PlatformFeedbackRecord: Sendable, Hashable {
    package var feedbackID: String
    package var buyerID: String
    package var orderID: String
    package var stars: Int
    package var purchaseSmoothness: Int
    package var supportHelpfulness: Int
    package var comment: String
    package var tags: [String]
    package var classification: Classification
    package var flags: [ReviewFlag]
    package var createdAtMicros: Int64
}
