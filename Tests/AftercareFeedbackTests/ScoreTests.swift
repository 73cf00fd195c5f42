import AftercareFeedback
import AftercareTesting
import Testing

/// Seller scores from a hand-computed example.
@Suite("Seller scores")
struct ScoreTests {

    static func review(_ stars: Int, daysAgo: Int64, flagged: Bool = false, now: Int64) -> ScoredReview {
        ScoredReview(
            stars: stars, itemAsDescribed: stars, sellerService: max(1, stars - 1), deliverySpeed: 5,
            classification: Classification(stars: stars), flagged: flagged, publishedAtMicros: now - daysAgo * Micros.day)
    }

    @Test("the 180-day positive rate counts positives and negatives published in the window, by the clock")
    func positiveRate() {
        let now: Int64 = 1_000 * Micros.day
        // In the window (≤ 180 days): 5, 4, 4 positive; 1, 2 negative; 3 neutral (not in the rate).
        // Outside (181, 400 days): 5 positive, 1 negative — counted in averages, not in the rate.
        let reviews = [
            Self.review(5, daysAgo: 1, now: now), Self.review(4, daysAgo: 30, now: now), Self.review(4, daysAgo: 180, now: now),
            Self.review(1, daysAgo: 2, flagged: true, now: now), Self.review(2, daysAgo: 179, now: now), Self.review(3, daysAgo: 10, now: now),
            Self.review(5, daysAgo: 181, now: now), Self.review(1, daysAgo: 400, now: now),
        ]
        let scores = SellerScoreCalculator(reviews: reviews, nowMicros: now)
        #expect(scores.positive180d == 3 && scores.negative180d == 2)
        #expect(scores.positiveRate180dBasisPoints == 6_000)  // 3 ÷ (3 + 2) = 60.00 %
        #expect(scores.reviewCount == 8)
        // Stars 5+4+4+1+2+3+5+1 = 25 over 8 = 3.125 → 313 hundredths (half up).
        #expect(scores.averageStarsHundredths == 313)
        // Seller service: 4+3+3+1+1+2+4+1 = 19 over 8 = 2.375 → 238.
        #expect(scores.averageSellerServiceHundredths == 238)
        #expect(scores.averageItemAsDescribedHundredths == 313 && scores.averageDeliverySpeedHundredths == 500)
        #expect(scores.counts == [.positive: 4, .neutral: 1, .negative: 3])
        #expect(scores.flaggedCount == 1)
    }

    @Test("no reviews: all zero, no division by zero")
    func empty() {
        let scores = SellerScoreCalculator(reviews: [], nowMicros: 0)
        #expect(scores.reviewCount == 0 && scores.averageStarsHundredths == 0 && scores.positiveRate180dBasisPoints == 0)
    }
}
