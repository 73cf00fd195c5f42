import AftercareGatewayAPI
import AftercareRPC
import SwiftProtobuf

/// Every method of the public API and the operator API, callable by name with a JSON request.
struct AnyMethod: Sendable {
    let name: String
    let call: @Sendable (RPCClient, _ json: String, CallOptions) async throws -> Void

    init<Request, Response>(_ method: MethodDescriptor<Request, Response>) {
        self.name = String(method.fullName.split(separator: "/").last ?? "")
        self.call = { client, json, options in
            let request: Request
            do {
                request = try Request(jsonString: json)
            } catch {
                throw BadInputError("the catalogue's JSON is not a \(Request.protoMessageName): \(error)")
            }
            if method.kind == .serverStreaming {
                try await client.serverStreaming(method, request, options: options) { stream in
                    for try await _ in stream { break }
                }
            } else {
                _ = try await client.unary(method, request, options: options)
            }
        }
    }

    /// By name: `CreateOrder`, …, `ListSagas`, … (the two services' names do not collide).
    static let all: [String: AnyMethod] = Dictionary(
        uniqueKeysWithValues: [
            AnyMethod(GatewayMethods.createOrder), AnyMethod(GatewayMethods.payOrder), AnyMethod(GatewayMethods.shipOrder),
            AnyMethod(GatewayMethods.completeOrder), AnyMethod(GatewayMethods.cancelOrder), AnyMethod(GatewayMethods.getOrder),
            AnyMethod(GatewayMethods.listOrders), AnyMethod(GatewayMethods.setStock), AnyMethod(GatewayMethods.getStock),
            AnyMethod(GatewayMethods.getTotals), AnyMethod(GatewayMethods.ingestCarrierEvent), AnyMethod(GatewayMethods.advanceShipment),
            AnyMethod(GatewayMethods.registerReturnTracking), AnyMethod(GatewayMethods.getShipment), AnyMethod(GatewayMethods.apply),
            AnyMethod(GatewayMethods.getCase), AnyMethod(GatewayMethods.listCases), AnyMethod(GatewayMethods.addEvidence),
            AnyMethod(GatewayMethods.withdraw), AnyMethod(GatewayMethods.acceptOffer), AnyMethod(GatewayMethods.declineOffer),
            AnyMethod(GatewayMethods.escalate), AnyMethod(GatewayMethods.acceptRejection), AnyMethod(GatewayMethods.acceptPartial),
            AnyMethod(GatewayMethods.approve), AnyMethod(GatewayMethods.reject), AnyMethod(GatewayMethods.counterOffer),
            AnyMethod(GatewayMethods.confirmReceipt), AnyMethod(GatewayMethods.inspect), AnyMethod(GatewayMethods.disputeReceipt),
            AnyMethod(GatewayMethods.requestEvidence), AnyMethod(GatewayMethods.ruleForBuyer), AnyMethod(GatewayMethods.ruleForSeller),
            AnyMethod(GatewayMethods.submitReview), AnyMethod(GatewayMethods.followUpReview), AnyMethod(GatewayMethods.deleteReview),
            AnyMethod(GatewayMethods.replyToReview), AnyMethod(GatewayMethods.appealReview), AnyMethod(GatewayMethods.ruleOnAppeal),
            AnyMethod(GatewayMethods.getReview), AnyMethod(GatewayMethods.listReviews), AnyMethod(GatewayMethods.getSellerScores),
            AnyMethod(GatewayMethods.submitPlatformFeedback), AnyMethod(GatewayMethods.listPlatformFeedback),
            AnyMethod(GatewayMethods.listNotifications), AnyMethod(GatewayMethods.markNotificationsRead),
            AnyMethod(GatewayMethods.followNotifications),
            AnyMethod(OperationsMethods.listSagas), AnyMethod(OperationsMethods.getSaga), AnyMethod(OperationsMethods.retrySaga),
            AnyMethod(OperationsMethods.resolveSaga), AnyMethod(OperationsMethods.retryRefund), AnyMethod(OperationsMethods.recordManualPayout),
            AnyMethod(OperationsMethods.closeCase), AnyMethod(OperationsMethods.getTrace), AnyMethod(OperationsMethods.systemHealth),
            AnyMethod(OperationsMethods.reconcile), AnyMethod(OperationsMethods.getPolicy), AnyMethod(OperationsMethods.replayDecision),
            AnyMethod(OperationsMethods.dryRunPolicy),
        ].map { ($0.name, $0) })
}

/// A mistake of the suite itself (not of the system under test).
struct BadInputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
