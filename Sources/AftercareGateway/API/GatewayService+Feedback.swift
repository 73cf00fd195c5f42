import AftercareFeedbackAPI
import AftercareGatewayAPI
import AftercareRPC
import AftercareServiceKit
import SwiftProtobuf

extension GatewayService {
    /// Feedback checks itself that a review's buyer or seller acts on it (PERMISSION_DENIED naming
    /// `buyer_id` or `seller_id`); the gateway fills those fields from the actor.
    func registerFeedback(in router: inout RPCRouter) {
        self.forward(GatewayMethods.submitReview, FeedbackMethods.submitReview, by: .buyer, party: \.buyerID, "buyer_id", in: &router)
        self.forward(GatewayMethods.followUpReview, FeedbackMethods.followUpReview, by: .buyer, party: \.buyerID, "buyer_id", in: &router)
        self.forward(GatewayMethods.deleteReview, FeedbackMethods.deleteReview, by: .buyer, party: \.buyerID, "buyer_id", in: &router)
        self.forward(
            GatewayMethods.submitPlatformFeedback, FeedbackMethods.submitPlatformFeedback, by: .buyer, party: \.buyerID, "buyer_id", in: &router)
        self.forward(GatewayMethods.replyToReview, FeedbackMethods.replyToReview, by: .seller, party: \.sellerID, "seller_id", in: &router)
        self.forward(GatewayMethods.appealReview, FeedbackMethods.appealReview, by: .seller, party: \.sellerID, "seller_id", in: &router)
        self.forward(GatewayMethods.ruleOnAppeal, FeedbackMethods.ruleOnAppeal, actors: [.platform], mutating: true, in: &router)
        self.forward(GatewayMethods.getReview, FeedbackMethods.getReview, actors: .anyone, in: &router)
        self.forward(GatewayMethods.listReviews, FeedbackMethods.listReviews, actors: .anyone, in: &router)
        self.forward(GatewayMethods.getSellerScores, FeedbackMethods.getSellerScores, actors: .anyone, in: &router)
        self.forward(GatewayMethods.listPlatformFeedback, FeedbackMethods.listPlatformFeedback, actors: .staff, in: &router)
    }

    /// Registers `method` as a party's mutation of feedback's `target`: the caller acts as `actor`,
    /// `party` (the request's `field`) is filled from the actor.
    private func forward<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor<Request, Response>, _ target: MethodDescriptor<Request, Response>, by actor: GatewayActor.Kind,
        party: any WritableKeyPath<Request, String> & Sendable, _ field: String, in router: inout RPCRouter
    ) {
        router.unary(method) { request, context in
            var request = request
            request[keyPath: party] = try self.access.caller(context, actors: [actor]).own(request[keyPath: party], field)
            return try await self.peers.feedback.unary(target, request, options: try GatewayPeers.options(context, keyFor: target))
        }
    }

    /// Registers `method` as feedback's `target` for `actors`, unchanged; under a derived key when
    /// it is `mutating`.
    private func forward<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ method: MethodDescriptor<Request, Response>, _ target: MethodDescriptor<Request, Response>, actors: Set<GatewayActor.Kind>,
        mutating: Bool = false, in router: inout RPCRouter
    ) {
        router.unary(method) { request, context in
            _ = try self.access.caller(context, actors: actors)
            let options = mutating ? try GatewayPeers.options(context, keyFor: target) : GatewayPeers.options(context)
            return try await self.peers.feedback.unary(target, request, options: options)
        }
    }
}
