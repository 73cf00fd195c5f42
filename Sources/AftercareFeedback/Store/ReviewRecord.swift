/// A review as stored: one per delivered order line.
public struct ReviewRecord: Sendable, Hashable {
    public var reviewID: String
    public var orderID: String
    public var lineID: String
    public var deliveryID: String
    public var productID: String
    public var buyerID: String
    public var sellerID: String
    public var status: ReviewStatus
    public var deliveredAtMicros: Int64
    /// 0 when no date was promised.
    public var promisedDeliveryMicros: Int64
    public var timer: ReviewTimer
    /// 0 until published.
    public var stars = 0
    public var itemAsDescribed = 0
    public var sellerService = 0
    public var deliverySpeed = 0
    public var comment = ""
    public var tags: [String] = []
    public var classification: Classification?
    public var reasons: [ClassificationReason] = []
    public var flags: [ReviewFlag] = []
    public var publishedAtMicros: Int64?
    public var followUp = ""
    public var followedUpAtMicros: Int64?
    public var reply = ""
    public var repliedAtMicros: Int64?
    public var appealReason: AppealReason?
    public var appealExplanation = ""
    public var appealedAtMicros: Int64?
    public var rulingNote = ""
    public var ruledAtMicros: Int64?
    public var expiredAtMicros: Int64?
    public var removedAtMicros: Int64?
    public var createdAtMicros: Int64
    public var updatedAtMicros: Int64

    /// What this review adds to its seller's scores, if it counts (published, appeal not upheld).
    public var scored: ScoredReview? {
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
public struct LineCaseRecord: Sendable, Hashable {
    public var caseID: String
    public var orderID: String
    public var lineID: String
    public var openedAtMicros: Int64
    public var closedAtMicros: Int64?
}

/// A buyer's feedback on the platform.
public struct PlatformFeedbackRecord: Sendable, Hashable {
    public var feedbackID: String
    public var buyerID: String
    public var orderID: String
    public var stars: Int
    public var purchaseSmoothness: Int
    public var supportHelpfulness: Int
    public var comment: String
    public var tags: [String]
    public var classification: Classification
    public var flags: [ReviewFlag]
    public var createdAtMicros: Int64
}
