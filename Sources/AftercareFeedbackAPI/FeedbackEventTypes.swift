/// The types of the events on feedback's feed; `proto-spec/feedback.proto` ("Events") names each
/// one's payload.
public enum FeedbackEventTypes {
    public static let eligible = "feedback.review.eligible"
    public static let published = "feedback.review.published"
    public static let followUp = "feedback.review.follow_up"
    public static let replied = "feedback.review.replied"
    public static let appealed = "feedback.review.appealed"
    public static let appealUpheld = "feedback.review.appeal_upheld"
    public static let appealOverturned = "feedback.review.appeal_overturned"
    public static let expired = "feedback.review.expired"
    public static let removed = "feedback.review.removed"
    public static let caseOpened = "feedback.case.opened"
    public static let caseClosed = "feedback.case.closed"
    public static let platformFeedbackSubmitted = "feedback.platform_feedback.submitted"
    public static let attentionSeller = "feedback.attention.seller"
    public static let attentionPlatform = "feedback.attention.platform"
}
