import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareNIO
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import Foundation
import SwiftProtobuf

/// A refund through the gateway's public API, as a shop front end makes it (the `buyer-app`
/// certificate, actor `buyer:…`): an order placed and paid, then a refund-only application before
/// it ships, which the policy approves at once; the gateway's Refund saga pays it. Then the saga as
/// an on-call engineer reads it from the operator API (the `cli` certificate).
struct PublicRefund: Sendable {
    let buyerApp: RPCClient
    let cli: RPCClient
    let say: @Sendable (String) -> Void

    static let buyer = "buyer:buyer_mei"

    func run(tag: String) async throws {
        let order = try await self.call(
            GatewayMethods.createOrder,
            .with {
                $0.sellerID = "seller_tea_house"
                $0.currency = "CNY"
                $0.shippingFee = Aftercare_Common_V1_Money(0, "CNY")
                $0.promisedDeliveryUnixMicros = 1_800_000_000_000_000
                $0.lines = [OrderJourney.line("tea-biluochun-100g", "Biluochun tea, 100 g", "food", 1, 8_800)]
            }, key: "public-\(tag)/order"
        ).order
        let paid = try await self.call(GatewayMethods.payOrder, .with { $0.orderID = order.orderID; $0.channel = .wechatPay }, key: "public-\(tag)/pay")
        self.say("gateway: \(Self.buyer) placed \(order.orderID) (\(order.total.formatted)) and paid it: \(paid.payment.status), order \(paid.order.status)")
        let opened = try await self.call(
            GatewayMethods.apply,
            .with {
                $0.kind = .refundOnly
                $0.orderID = order.orderID
                $0.reason = .other
                $0.description_p = "Ordered the wrong tea; it has not shipped."
                $0.lines = [.with { $0.lineID = order.lines[0].lineID; $0.quantity = 1 }]
            }, key: "public-\(tag)/apply")
        self.say("gateway: refund-only \(opened.record.caseID) is \(opened.record.state): \"\(opened.decision.sentence)\"")
        let deadline = ContinuousClock.now + .seconds(20)
        var view = opened
        while view.record.state != "REFUNDED" && view.record.state != "REFUND_FAILED" && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            view = try await self.call(GatewayMethods.getCase, .with { $0.caseID = opened.record.caseID }, key: nil)
        }
        self.say("gateway: \(view.record.caseID) is \(view.record.state), refund \(view.record.refundID) of \(view.record.amount.formatted)")
        for summary in view.sagas {
            let saga = try await self.cli.unary(
                OperationsMethods.getSaga, .with { $0.sagaID = summary.sagaID }, options: CallOptions(actor: "operator:demo"))
            self.say("saga \(summary.sagaID) (\(summary.definition)) \(summary.state), trace \(summary.traceID):")
            let start = saga.attempts.first?.startedAtUnixMicros ?? 0
            for attempt in saga.attempts {
                let took = attempt.endedAtUnixMicros > 0 ? "\((attempt.endedAtUnixMicros - attempt.startedAtUnixMicros) / 1_000) ms" : "in flight"
                self.say(
                    "  +\(String(format: "%6.1f", Double(attempt.startedAtUnixMicros - start) / 1_000)) ms  \(attempt.step) \(attempt.direction) #\(attempt.attempt): \(attempt.result) (\(took))")
            }
        }
    }

    private func call<Request, Response>(_ method: MethodDescriptor<Request, Response>, _ request: Request, key: String?) async throws -> Response {
        try await self.buyerApp.unary(method, request, options: CallOptions(idempotencyKey: key, actor: Self.buyer))
    }
}
