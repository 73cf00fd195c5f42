import AftercareFeedbackAPI
import AftercareGatewayAPI
import AftercareRPC
import AftercareServiceKit

extension GatewayService {
    /// Feedback checks itself that a review's buyer or seller acts on it (PERMISSION_DENIED naming
    /// `buyer_id` or `seller_id`); the gateway fills those fields from the actor.
    func registerFeedback(in router: inout RPCRouter) {
        router.unary(GatewayMethods.submitReview) { request, context in
            var request = request
            request.buyerID = try self.access.caller(context, actors: [.buyer]).own(request.buyerID, "buyer_id")
            return try await self.feedback(FeedbackMethods.submitReview, request, context, key: "feedback.SubmitReview")
        }
        router.unary(GatewayMethods.followUpReview) { request, context in
            var request = request
            request.buyerID = try self.access.caller(context, actors: [.buyer]).own(request.buyerID, "buyer_id")
            return try await self.feedback(FeedbackMethods.followUpReview, request, context, key: "feedback.FollowUpReview")
        }
        router.unary(GatewayMethods.deleteReview) { request, context in
            var request = request
            request.buyerID = try self.access.caller(context, actors: [.buyer]).own(request.buyerID, "buyer_id")
            return try await self.feedback(FeedbackMethods.deleteReview, request, context, key: "feedback.DeleteReview")
        }
        router.unary(GatewayMethods.replyToReview) { request, context in
            var request = request
            request.sellerID = try self.access.caller(context, actors: [.seller]).own(request.sellerID, "seller_id")
            return try await self.feedback(FeedbackMethods.replyToReview, request, context, key: "feedback.ReplyToReview")
        }
        router.unary(GatewayMethods.appealReview) { request, context in
            var request = request
            request.sellerID = try self.access.caller(context, actors: [.seller]).own(request.sellerID, "seller_id")
            return try await self.feedback(FeedbackMethods.appealReview, request, context, key: "feedback.AppealReview")
        }
        router.unary(GatewayMethods.ruleOnAppeal) { request, context in
            _ = try self.access.caller(context, actors: [.platform])
            return try await self.feedback(FeedbackMethods.ruleOnAppeal, request, context, key: "feedback.RuleOnAppeal")
        }
        router.unary(GatewayMethods.submitPlatformFeedback) { request, context in
            var request = request
            request.buyerID = try self.access.caller(context, actors: [.buyer]).own(request.buyerID, "buyer_id")
            return try await self.feedback(FeedbackMethods.submitPlatformFeedback, request, context, key: "feedback.SubmitPlatformFeedback")
        }
        router.unary(GatewayMethods.getReview) { request, context in
            _ = try self.access.caller(context, actors: .anyone)
            return try await self.feedback(FeedbackMethods.getReview, request, context)
        }
        router.unary(GatewayMethods.listReviews) { request, context in
            _ = try self.access.caller(context, actors: .anyone)
            return try await self.feedback(FeedbackMethods.listReviews, request, context)
        }
        router.unary(GatewayMethods.getSellerScores) { request, context in
            _ = try self.access.caller(context, actors: .anyone)
            return try await self.feedback(FeedbackMethods.getSellerScores, request, context)
        }
        router.unary(GatewayMethods.listPlatformFeedback) { request, context in
            _ = try self.access.caller(context, actors: .staff)
            return try await self.feedback(FeedbackMethods.listPlatformFeedback, request, context)
        }
    }

    /// Calls feedback's `method` for the caller, under a key derived from the caller's when `key`
    /// names the call.
    private func feedback<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, _ context: ServerContext, key: String? = nil
    ) async throws -> Response {
        try await self.peers.feedback.unary(method, request, options: try GatewayPeers.options(context, key: key))
    }
}
