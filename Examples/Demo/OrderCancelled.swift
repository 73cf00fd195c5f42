import AftercareClient
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import SwiftProtobuf

/// 6. A paid order the buyer cancels before it ships: orders mark it CANCELLING (the intent), the
/// gateway's Order cancellation saga refunds the whole payment through the provider, and orders mark
/// it CANCELLED with the refund booked.
struct OrderCancelled: Scenario {
    let number = 6
    let title = "A paid order cancelled before it ships: the Order cancellation saga refunds the payment"

    func run(_ demo: Demo) async throws -> ScenarioReport {
        let order = try await demo.paidOrder([.init(sku: "teapot-\(demo.tag)", title: "Yixing teapot", category: "home", quantity: 1, unitPriceMinor: 36_800)])
        let cancelling = try await demo.buyer.cancelOrder(.with { $0.orderID = order.orderID; $0.reason = "ordered the wrong size" }).order
        say("  buyer: cancel order \(order.orderID) (\"ordered the wrong size\"); order \(cancelling.status.name)")
        let deadline = ContinuousClock.now + .seconds(30)
        var view = try await demo.support.getOrder(.with { $0.orderID = order.orderID })
        while view.order.status == .cancelling {
            guard ContinuousClock.now < deadline else { throw DemoError("order \(order.orderID) is still cancelling") }
            try await Task.sleep(for: .milliseconds(100))
            view = try await demo.support.getOrder(.with { $0.orderID = order.orderID })
        }
        guard view.order.status == .cancelled, let refund = view.refunds.first, refund.status == .refundSucceeded else {
            throw DemoError("order \(order.orderID) is \(view.order.status.name), refunds \(view.refunds.map { "\($0.status)" })")
        }
        say("  order \(view.order.status.name): refunded \(view.order.refunded.formatted) by \(refund.refundID), refundable \(view.order.refundable.formatted)")
        let sagas = try await demo.gatewayOperator.unary(
            OperationsMethods.listSagas, .with { $0.definition = "Order cancellation"; $0.pageSize = 1 }, options: CallOptions(actor: "operator:demo")
        ).sagas
        guard let saga = sagas.first else { throw DemoError("no Order cancellation saga") }
        return ScenarioReport(
            number: self.number, title: self.title, cases: [], sagas: ["order_cancellation": saga.sagaID], shown: [saga.sagaID],
            facts: ["paid_minor": view.order.paid.amountMinor, "refunded_minor": view.order.refunded.amountMinor])
    }
}
