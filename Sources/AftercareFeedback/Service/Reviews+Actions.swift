import AftercareFeedbackAPI
import AftercareRPC
import AftercareServiceKit
import Logging

/// The buyer's, the seller's and the platform's actions on a review. Each request was checked.
extension Reviews {
    /// 90 days: how long after publication the buyer may add the follow-up.
    static let followUpWindowMicros: Int64 = 90 * 86_400 * 1_000_000

    /// ELIGIBLE → PUBLISHED: classified by the stars, the order's late delivery recorded as a
    /// reason, the comment flagged; negative or flagged reviews get the seller's attention.
    func submit(_ request: Aftercare_Feedback_V1_SubmitReviewRequest, context: ServerContext, in db: any SQLConnection) throws
        -> Aftercare_Feedback_V1_Review
    {
        var review = try self.loadForChange(request.reviewID, context: context, in: db)
        try Self.requireParty(request.buyerID, is: review.buyerID, field: "buyer_id", of: review)
        try self.move(&review, .submit)
        review.stars = Int(request.stars)
        review.itemAsDescribed = Int(request.scores.itemAsDescribed)
        review.sellerService = Int(request.scores.sellerService)
        review.deliverySpeed = Int(request.scores.deliverySpeed)
        review.comment = request.comment
        review.tags = request.tags
        review.classification = Classification(stars: review.stars)
        review.reasons = [
            ClassificationReason.lateDelivery(deliveredAtMicros: review.deliveredAtMicros, promisedAtMicros: review.promisedDeliveryMicros)
        ].compactMap { $0 }
        review.flags = FlagWords.flags(in: request.comment, source: .comment)
        review.publishedAtMicros = review.updatedAtMicros
        try self.save(review, as: FeedbackEventTypes.published, context: context, in: db)
        try self.attentionIfNeeded(review, flags: review.flags, context: context, in: db)
        context.logger.info(
            "review published",
            metadata: [
                "review.id": "\(review.reviewID)", "review.stars": "\(review.stars)",
                "review.classification": "\(review.classification?.rawValue ?? "-")", "review.flags": "\(review.flags.map(\.reason.rawValue))",
            ])
        return try self.answer(review, in: db)
    }

    /// The buyer's one follow-up, within 90 days of publication; its own flags are added and get
    /// the seller's attention.
    func followUp(_ request: Aftercare_Feedback_V1_FollowUpReviewRequest, context: ServerContext, in db: any SQLConnection) throws
        -> Aftercare_Feedback_V1_Review
    {
        var review = try self.loadForChange(request.reviewID, context: context, in: db)
        try Self.requireParty(request.buyerID, is: review.buyerID, field: "buyer_id", of: review)
        try self.move(&review, .followUp)
        let published = review.publishedAtMicros ?? review.createdAtMicros
        guard review.updatedAtMicros <= published + Self.followUpWindowMicros else {
            throw RPCError.failedPrecondition(
                "review \(review.reviewID): the follow-up window closed 90 days after publication (published at \(published) µs)")
        }
        review.followUp = request.comment
        review.followedUpAtMicros = review.updatedAtMicros
        let added = FlagWords.flags(in: request.comment, source: .followUp)
        review.flags += added
        try self.save(review, as: FeedbackEventTypes.followUp, context: context, in: db)
        if !added.isEmpty {
            try self.attentionIfNeeded(review, flags: added, context: context, in: db)
        }
        return try self.answer(review, in: db)
    }

    /// PUBLISHED → REMOVED by its buyer.
    func delete(_ request: Aftercare_Feedback_V1_DeleteReviewRequest, context: ServerContext, in db: any SQLConnection) throws
        -> Aftercare_Feedback_V1_Review
    {
        var review = try self.loadForChange(request.reviewID, context: context, in: db)
        try Self.requireParty(request.buyerID, is: review.buyerID, field: "buyer_id", of: review)
        try self.move(&review, .delete)
        review.removedAtMicros = review.updatedAtMicros
        try self.save(review, as: FeedbackEventTypes.removed, context: context, in: db)
        return try self.answer(review, in: db)
    }

    /// The seller's one reply.
    func reply(_ request: Aftercare_Feedback_V1_ReplyToReviewRequest, context: ServerContext, in db: any SQLConnection) throws
        -> Aftercare_Feedback_V1_Review
    {
        var review = try self.loadForChange(request.reviewID, context: context, in: db)
        try Self.requireParty(request.sellerID, is: review.sellerID, field: "seller_id", of: review)
        try self.move(&review, .reply)
        review.reply = request.reply
        review.repliedAtMicros = review.updatedAtMicros
        try self.save(review, as: FeedbackEventTypes.replied, context: context, in: db)
        return try self.answer(review, in: db)
    }

    /// The seller's one appeal, with its reason.
    func appeal(
        _ request: Aftercare_Feedback_V1_AppealReviewRequest, reason: AppealReason, context: ServerContext, in db: any SQLConnection
    ) throws -> Aftercare_Feedback_V1_Review {
        var review = try self.loadForChange(request.reviewID, context: context, in: db)
        try Self.requireParty(request.sellerID, is: review.sellerID, field: "seller_id", of: review)
        try self.move(&review, .appeal)
        review.appealReason = reason
        review.appealExplanation = request.explanation
        review.appealedAtMicros = review.updatedAtMicros
        try self.save(review, as: FeedbackEventTypes.appealed, context: context, in: db)
        return try self.answer(review, in: db)
    }

    /// The platform's ruling: upheld (excluded from scores) or overturned.
    func rule(_ request: Aftercare_Feedback_V1_RuleOnAppealRequest, context: ServerContext, in db: any SQLConnection) throws
        -> Aftercare_Feedback_V1_Review
    {
        var review = try self.loadForChange(request.reviewID, context: context, in: db)
        let uphold = request.ruling == .uphold
        try self.move(&review, uphold ? .uphold : .overturn)
        review.rulingNote = request.note
        review.ruledAtMicros = review.updatedAtMicros
        try self.save(review, as: uphold ? FeedbackEventTypes.appealUpheld : FeedbackEventTypes.appealOverturned, context: context, in: db)
        context.logger.info("appeal ruled", metadata: ["review.id": "\(review.reviewID)", "appeal.state": "\(review.status.appeal)"])
        return try self.answer(review, in: db)
    }
}
