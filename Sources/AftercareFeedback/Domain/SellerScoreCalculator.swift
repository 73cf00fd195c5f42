/// What a review contributes to its seller's scores.
package struct ScoredReview: Sendable, Hashable {
    package var stars: Int
    package var itemAsDescribed: Int
    package var sellerService: Int
    package var deliverySpeed: Int
    package var classification: Classification
    package var flagged: Bool
    package var publishedAtMicros: Int64

    package init(
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
package struct SellerScoreCalculator: Sendable, Hashable {
    /// 180 days.
    package static let positiveRateWindowMicros: Int64 = 180 * 86_400 * 1_000_000

    package var reviewCount = 0
    package var averageStarsHundredths = 0
    package var averageItemAsDescribedHundredths = 0
    package var averageSellerServiceHundredths = 0
    package var averageDeliverySpeedHundredths = 0
    package var counts: [Classification: Int] = [:]
    package var flaggedCount = 0
    package var positive180d = 0
    package var negative180d = 0
    package var positiveRate180dBasisPoints = 0

    /// The scores of `reviews` at `now`: the 180-day window is the reviews published at or after
    /// `now` − 180 days.
    package init(reviews: [ScoredReview], nowMicros now: Int64) {
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
