import AftercareFeedbackAPI
import AftercareServiceKit

extension Reviews {
    /// `sellerID`'s scores, recomputed now from its counted reviews (``FeedbackStore/scoredReviews(sellerID:in:)``).
    func scores(sellerID: String, in db: any SQLConnection) throws -> Aftercare_Feedback_V1_SellerScores {
        let now = self.clock.nowMicros
        let computed = SellerScoreCalculator(
            reviews: try self.store.scoredReviews(sellerID: sellerID, in: db).compactMap(\.scored), nowMicros: now)
        var scores = Aftercare_Feedback_V1_SellerScores()
        scores.sellerID = sellerID
        scores.reviewCount = UInt32(computed.reviewCount)
        scores.averageStarsHundredths = UInt32(computed.averageStarsHundredths)
        scores.averageItemAsDescribedHundredths = UInt32(computed.averageItemAsDescribedHundredths)
        scores.averageSellerServiceHundredths = UInt32(computed.averageSellerServiceHundredths)
        scores.averageDeliverySpeedHundredths = UInt32(computed.averageDeliverySpeedHundredths)
        scores.positiveCount = UInt32(computed.counts[.positive, default: 0])
        scores.neutralCount = UInt32(computed.counts[.neutral, default: 0])
        scores.negativeCount = UInt32(computed.counts[.negative, default: 0])
        scores.flaggedCount = UInt32(computed.flaggedCount)
        scores.positiveCount180D = UInt32(computed.positive180d)
        scores.negativeCount180D = UInt32(computed.negative180d)
        scores.positiveRate180DBasisPoints = UInt32(computed.positiveRate180dBasisPoints)
        scores.computedAtUnixMicros = now
        return scores
    }
}
