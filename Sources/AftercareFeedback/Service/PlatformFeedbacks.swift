import AftercareFeedbackAPI
import AftercareRPC
import AftercareServiceKit
import Logging

extension Reviews {
    /// Records a buyer's feedback on the platform, classified and flagged like a review; negative
    /// or flagged feedback gets the platform team's attention.
    func submitPlatformFeedback(
        _ request: Aftercare_Feedback_V1_SubmitPlatformFeedbackRequest, context: ServerContext, in db: any SQLConnection
    ) throws -> Aftercare_Feedback_V1_PlatformFeedback {
        let now = self.clock.nowMicros
        let feedback = PlatformFeedbackRecord(
            feedbackID: RecordID.make("pfb", atMicros: now), buyerID: request.buyerID, orderID: request.orderID, stars: Int(request.stars),
            purchaseSmoothness: Int(request.scores.purchaseSmoothness), supportHelpfulness: Int(request.scores.supportHelpfulness),
            comment: request.comment, tags: request.tags, classification: Classification(stars: Int(request.stars)),
            flags: FlagWords.flags(in: request.comment, source: .comment), createdAtMicros: now)
        try self.store.insert(feedback, in: db)
        var submitted = Aftercare_Feedback_V1_PlatformFeedbackSubmitted()
        submitted.feedback = feedback.proto
        let subjects = Self.subjects(orderID: feedback.orderID)
        _ = try self.feed.append(
            Aftercare_Common_V1_Event(
                type: FeedbackEventTypes.platformFeedbackSubmitted, payload: submitted, subjects: subjects, buyerID: feedback.buyerID),
            context: context, in: db)
        if feedback.classification == .negative || !feedback.flags.isEmpty {
            var attention = Aftercare_Feedback_V1_Attention()
            attention.platformFeedbackID = feedback.feedbackID
            attention.classification = feedback.classification.proto
            attention.flags = feedback.flags.map(\.proto)
            attention.summary = AttentionSummary.platform(feedback)
            _ = try self.feed.append(
                Aftercare_Common_V1_Event(
                    type: FeedbackEventTypes.attentionPlatform, payload: attention, subjects: subjects, buyerID: feedback.buyerID),
                context: context, in: db)
        }
        context.logger.info(
            "platform feedback submitted",
            metadata: [
                "platform_feedback.id": "\(feedback.feedbackID)", "platform_feedback.classification": "\(feedback.classification)",
                "platform_feedback.flags": "\(feedback.flags.map(\.reason.rawValue))",
            ])
        return feedback.proto
    }
}
