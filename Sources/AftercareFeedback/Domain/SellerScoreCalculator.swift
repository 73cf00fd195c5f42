/// What a review contributes to its seller's scores.
public struct ScoredReview: Sendable, Hashable {
    public var stars: Int
    public var itemAsDescribed: Int
    public var sellerService: Int
    public var deliverySpeed: Int
    public var classification: Classification
    public var flagged: Bool
    public var publishedAtMicros: Int64

    public init(
        stars: Int, itemAsDescribed: Int, sellerService: Int, deliverySpeed: Int, classification: Classification, flagged: Bool,
        publishedAtMicros: Int64
    ) {
        self.stars = stars
        self.itemAsDescribed = itemAsDescribed
        self.sellerService = sellerService
        self.deliverySpeed = deliverySpeed
        self.classification = classification
        self.flagged = flagged
        self.publishedAtMicros = publishedAtMicros
    }
}

/// A seller's scores, computed from its counted reviews (published, appeal not upheld) each time
/// they are asked for; nothing is stored or edited in place. Integer arithmetic only: averages in
/// hundredths and the rate in basis points, rounded half up.
public struct SellerScoreCalculator: Sendable, Hashable {
    /// 180 days.
    public static let positiveRateWindowMicros: Int64 = 180 * 86_400 * 1_000_000

    public var reviewCount = 0
    public var averageStarsHundredths = 0
    public var averageItemAsDescribedHundredths = 0
    public var averageSellerServiceHundredths = 0
    public var averageDeliverySpeedHundredths = 0
    public var counts: [Classification: Int] = [:]
    public var flaggedCount = 0
    public var positive180d = 0
    public var negative180d = 0
    public var positiveRate180dBasisPoints = 0

    /// The scores of `reviews` at `now`: the 180-day window is the reviews published at or after
    /// `now` − 180 days.
    public init(reviews: [ScoredReview], nowMicros now: Int64) {
        self.reviewCount = reviews.count
        self.averageStarsHundredths = Self.average(reviews.map(\.stars))
        self.averageItemAsDescribedHundredths = Self.average(reviews.map(\.itemAsDescribed))
        self.averageSellerServiceHundredths = Self.average(reviews.map(\.sellerService))
        self.averageDeliverySpeedHundredths = Self.average(reviews.map(\.deliverySpeed))
        for review in reviews {
            self.counts[review.classification, default: 0] += 1
            if review.flagged { self.flaggedCount += 1 }
            guard review.publishedAtMicros >= now - Self.positiveRateWindowMicros else { continue }
            if review.classification == .positive { self.positive180d += 1 }
            if review.classification == .negative { self.negative180d += 1 }
        }
        self.positiveRate180dBasisPoints = Self.rounded(self.positive180d * 10_000, over: self.positive180d + self.negative180d)
    }

    /// The mean of 1–5 values in hundredths; 0 for none.
    static func average(_ values: [Int]) -> Int {
        Self.rounded(values.reduce(0, +) * 100, over: values.count)
    }

    /// `numerator` ÷ `denominator` rounded half up; 0 when `denominator` is 0.
    static func rounded(_ numerator: Int, over denominator: Int) -> Int {
        denominator == 0 ? 0 : (2 * numerator + denominator) / (2 * denominator)
    }
}
