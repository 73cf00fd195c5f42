public import AftercareRPC

/// The methods of `aftercare.feedback.v1.Feedback`, for clients (the gateway) that do not see the
/// feedback domain. `proto-spec/feedback.proto` documents each.
public enum FeedbackMethods {
    public static let recordDelivery = MethodDescriptor<Aftercare_Feedback_V1_RecordDeliveryRequest, Aftercare_Feedback_V1_Review>(
        "aftercare.feedback.v1.Feedback/RecordDelivery")
    public static let recordCaseOpened = MethodDescriptor<Aftercare_Feedback_V1_RecordCaseOpenedRequest, Aftercare_Feedback_V1_Review>(
        "aftercare.feedback.v1.Feedback/RecordCaseOpened")
    public static let recordCaseClosed = MethodDescriptor<Aftercare_Feedback_V1_RecordCaseClosedRequest, Aftercare_Feedback_V1_Review>(
        "aftercare.feedback.v1.Feedback/RecordCaseClosed")
    public static let submitReview = MethodDescriptor<Aftercare_Feedback_V1_SubmitReviewRequest, Aftercare_Feedback_V1_Review>(
        "aftercare.feedback.v1.Feedback/SubmitReview")
    public static let followUpReview = MethodDescriptor<Aftercare_Feedback_V1_FollowUpReviewRequest, Aftercare_Feedback_V1_Review>(
        "aftercare.feedback.v1.Feedback/FollowUpReview")
    public static let replyToReview = MethodDescriptor<Aftercare_Feedback_V1_ReplyToReviewRequest, Aftercare_Feedback_V1_Review>(
        "aftercare.feedback.v1.Feedback/ReplyToReview")
    public static let appealReview = MethodDescriptor<Aftercare_Feedback_V1_AppealReviewRequest, Aftercare_Feedback_V1_Review>(
        "aftercare.feedback.v1.Feedback/AppealReview")
    public static let ruleOnAppeal = MethodDescriptor<Aftercare_Feedback_V1_RuleOnAppealRequest, Aftercare_Feedback_V1_Review>(
        "aftercare.feedback.v1.Feedback/RuleOnAppeal")
    public static let deleteReview = MethodDescriptor<Aftercare_Feedback_V1_DeleteReviewRequest, Aftercare_Feedback_V1_Review>(
        "aftercare.feedback.v1.Feedback/DeleteReview")
    public static let getReview = MethodDescriptor<Aftercare_Feedback_V1_GetReviewRequest, Aftercare_Feedback_V1_Review>(
        "aftercare.feedback.v1.Feedback/GetReview")
    public static let listReviews = MethodDescriptor<Aftercare_Feedback_V1_ListReviewsRequest, Aftercare_Feedback_V1_ListReviewsResponse>(
        "aftercare.feedback.v1.Feedback/ListReviews")
    public static let getSellerScores = MethodDescriptor<Aftercare_Feedback_V1_GetSellerScoresRequest, Aftercare_Feedback_V1_SellerScores>(
        "aftercare.feedback.v1.Feedback/GetSellerScores")
    public static let submitPlatformFeedback = MethodDescriptor<
        Aftercare_Feedback_V1_SubmitPlatformFeedbackRequest, Aftercare_Feedback_V1_PlatformFeedback
    >("aftercare.feedback.v1.Feedback/SubmitPlatformFeedback")
    public static let listPlatformFeedback = MethodDescriptor<
        Aftercare_Feedback_V1_ListPlatformFeedbackRequest, Aftercare_Feedback_V1_ListPlatformFeedbackResponse
    >("aftercare.feedback.v1.Feedback/ListPlatformFeedback")
}
