import AftercareFeedbackAPI

extension ReviewRecord {
    /// The review as the API answers it; `openCaseIDs` are the line's open cases.
    func proto(openCaseIDs: [String]) -> Aftercare_Feedback_V1_Review {
        var review = Aftercare_Feedback_V1_Review()
        review.reviewID = self.reviewID
        review.orderID = self.orderID
        review.lineID = self.lineID
        review.deliveryID = self.deliveryID
        review.productID = self.productID
        review.buyerID = self.buyerID
        review.sellerID = self.sellerID
        review.state = self.status.review.proto
        review.replyState = self.status.reply.proto
        review.followUpState = self.status.followUp.proto
        review.appealState = self.status.appeal.proto
        review.deliveredAtUnixMicros = self.deliveredAtMicros
        review.promisedDeliveryUnixMicros = self.promisedDeliveryMicros
        review.reviewDeadlineUnixMicros = self.timer.deadlineMicros
        review.timerPausedAtUnixMicros = self.timer.pausedAtMicros ?? 0
        review.openCaseIds = openCaseIDs
        review.afterSalesInProgress = !openCaseIDs.isEmpty
        review.stars = UInt32(self.stars)
        review.scores.itemAsDescribed = UInt32(self.itemAsDescribed)
        review.scores.sellerService = UInt32(self.sellerService)
        review.scores.deliverySpeed = UInt32(self.deliverySpeed)
        review.comment = self.comment
        review.tags = self.tags
        review.classification = self.classification?.proto ?? .unspecified
        review.reasons = self.reasons.map(\.proto)
        review.flags = self.flags.map(\.proto)
        review.publishedAtUnixMicros = self.publishedAtMicros ?? 0
        review.followUp = self.followUp
        review.followedUpAtUnixMicros = self.followedUpAtMicros ?? 0
        review.reply = self.reply
        review.repliedAtUnixMicros = self.repliedAtMicros ?? 0
        review.appealReason = self.appealReason?.proto ?? .unspecified
        review.appealExplanation = self.appealExplanation
        review.appealedAtUnixMicros = self.appealedAtMicros ?? 0
        review.rulingNote = self.rulingNote
        review.ruledAtUnixMicros = self.ruledAtMicros ?? 0
        review.expiredAtUnixMicros = self.expiredAtMicros ?? 0
        review.removedAtUnixMicros = self.removedAtMicros ?? 0
        review.createdAtUnixMicros = self.createdAtMicros
        review.updatedAtUnixMicros = self.updatedAtMicros
        return review
    }
}

extension PlatformFeedbackRecord {
    var proto: Aftercare_Feedback_V1_PlatformFeedback {
        var feedback = Aftercare_Feedback_V1_PlatformFeedback()
        feedback.feedbackID = self.feedbackID
        feedback.buyerID = self.buyerID
        feedback.orderID = self.orderID
        feedback.stars = UInt32(self.stars)
        feedback.scores.purchaseSmoothness = UInt32(self.purchaseSmoothness)
        feedback.scores.supportHelpfulness = UInt32(self.supportHelpfulness)
        feedback.comment = self.comment
        feedback.tags = self.tags
        feedback.classification = self.classification.proto
        feedback.flags = self.flags.map(\.proto)
        feedback.createdAtUnixMicros = self.createdAtMicros
        return feedback
    }
}

extension ReviewState {
    var proto: Aftercare_Feedback_V1_ReviewState {
        switch self {
        case .eligible: .eligible
        case .published: .published
        case .expired: .expired
        case .removed: .removed
        }
    }

    init?(_ proto: Aftercare_Feedback_V1_ReviewState) {
        switch proto {
        case .eligible: self = .eligible
        case .published: self = .published
        case .expired: self = .expired
        case .removed: self = .removed
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }
}

extension ReplyState {
    var proto: Aftercare_Feedback_V1_ReplyState { self == .none ? .none : .replied }
}

extension FollowUpState {
    var proto: Aftercare_Feedback_V1_FollowUpState { self == .none ? .none : .added }
}

extension AppealState {
    var proto: Aftercare_Feedback_V1_AppealState {
        switch self {
        case .none: .none
        case .appealed: .appealed
        case .upheld: .upheld
        case .overturned: .overturned
        }
    }
}

extension AppealReason {
    var proto: Aftercare_Feedback_V1_AppealReason {
        switch self {
        case .abusive: .abusive
        case .extortion: .extortion
        case .wrongProduct: .wrongProduct
        case .privacy: .privacy
        }
    }

    init?(_ proto: Aftercare_Feedback_V1_AppealReason) {
        switch proto {
        case .abusive: self = .abusive
        case .extortion: self = .extortion
        case .wrongProduct: self = .wrongProduct
        case .privacy: self = .privacy
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }
}

extension Classification {
    var proto: Aftercare_Feedback_V1_Classification {
        switch self {
        case .positive: .positive
        case .neutral: .neutral
        case .negative: .negative
        }
    }
}

extension ClassificationReason {
    var proto: Aftercare_Feedback_V1_ClassificationReason {
        var reason = Aftercare_Feedback_V1_ClassificationReason()
        reason.code = self.code
        reason.detail = self.detail
        return reason
    }
}

extension ReviewFlag {
    var proto: Aftercare_Feedback_V1_Flag {
        var flag = Aftercare_Feedback_V1_Flag()
        flag.reason =
            switch self.reason {
            case .damage: .damage
            case .fraud: .fraud
            case .nonDelivery: .nonDelivery
            }
        flag.matched = self.matched
        flag.source = self.source == .comment ? .comment : .followUp
        return flag
    }
}
