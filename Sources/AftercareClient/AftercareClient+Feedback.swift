public import AftercareFeedbackAPI
import AftercareGatewayAPI

/// The public API: reviews, seller scores, platform feedback (`aftercare.gateway.v1.Gateway`).
extension AftercareClient {
    /// Buyer: review a delivered order line.
    /// Needs an idempotency key.
    /// `Gateway/SubmitReview`. Retried on transient failures with the same key (the options' or one made for this call).
    public func submitReview(_ request: Aftercare_Feedback_V1_SubmitReviewRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Feedback_V1_Review {
        try await self.call(GatewayMethods.submitReview, request, options, .keyed)
    }

    /// Buyer: add a follow-up to their review.
    /// Needs an idempotency key.
    /// `Gateway/FollowUpReview`. Retried on transient failures with the same key (the options' or one made for this call).
    public func followUpReview(_ request: Aftercare_Feedback_V1_FollowUpReviewRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Feedback_V1_Review {
        try await self.call(GatewayMethods.followUpReview, request, options, .keyed)
    }

    /// Buyer: delete their review.
    /// Needs an idempotency key.
    /// `Gateway/DeleteReview`. Retried on transient failures with the same key (the options' or one made for this call).
    public func deleteReview(_ request: Aftercare_Feedback_V1_DeleteReviewRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Feedback_V1_Review {
        try await self.call(GatewayMethods.deleteReview, request, options, .keyed)
    }

    /// Seller: reply to a review of their order.
    /// Needs an idempotency key.
    /// `Gateway/ReplyToReview`. Retried on transient failures with the same key (the options' or one made for this call).
    public func replyToReview(_ request: Aftercare_Feedback_V1_ReplyToReviewRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Feedback_V1_Review {
        try await self.call(GatewayMethods.replyToReview, request, options, .keyed)
    }

    /// Seller: appeal a review to the platform.
    /// Needs an idempotency key.
    /// `Gateway/AppealReview`. Retried on transient failures with the same key (the options' or one made for this call).
    public func appealReview(_ request: Aftercare_Feedback_V1_AppealReviewRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Feedback_V1_Review {
        try await self.call(GatewayMethods.appealReview, request, options, .keyed)
    }

    /// Platform: uphold or overturn a seller's appeal.
    /// Needs an idempotency key.
    /// `Gateway/RuleOnAppeal`. Retried on transient failures with the same key (the options' or one made for this call).
    public func ruleOnAppeal(_ request: Aftercare_Feedback_V1_RuleOnAppealRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Feedback_V1_Review {
        try await self.call(GatewayMethods.ruleOnAppeal, request, options, .keyed)
    }

    /// Reads, open to every actor: reviews are public.
    /// `Gateway/GetReview`. Retried on transient failures.
    public func getReview(_ request: Aftercare_Feedback_V1_GetReviewRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Feedback_V1_Review {
        try await self.call(GatewayMethods.getReview, request, options, .safe)
    }

    /// `Gateway/ListReviews`. Retried on transient failures.
    public func listReviews(_ request: Aftercare_Feedback_V1_ListReviewsRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Feedback_V1_ListReviewsResponse {
        try await self.call(GatewayMethods.listReviews, request, options, .safe)
    }

    /// `Gateway/GetSellerScores`. Retried on transient failures.
    public func getSellerScores(_ request: Aftercare_Feedback_V1_GetSellerScoresRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Feedback_V1_SellerScores {
        try await self.call(GatewayMethods.getSellerScores, request, options, .safe)
    }

    /// A buyer's feedback on the platform itself.
    /// Needs an idempotency key.
    /// `Gateway/SubmitPlatformFeedback`. Retried on transient failures with the same key (the options' or one made for this call).
    public func submitPlatformFeedback(_ request: Aftercare_Feedback_V1_SubmitPlatformFeedbackRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Feedback_V1_PlatformFeedback {
        try await self.call(GatewayMethods.submitPlatformFeedback, request, options, .keyed)
    }

    /// Platform and operator.
    /// `Gateway/ListPlatformFeedback`. Retried on transient failures.
    public func listPlatformFeedback(_ request: Aftercare_Feedback_V1_ListPlatformFeedbackRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Feedback_V1_ListPlatformFeedbackResponse {
        try await self.call(GatewayMethods.listPlatformFeedback, request, options, .safe)
    }
}
