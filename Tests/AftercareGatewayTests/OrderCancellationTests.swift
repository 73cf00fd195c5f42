import AftercareAftersalesAPI
import AftercareGateway
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareTesting
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// Cancelling an order through the gateway: at once when unpaid, through the Order
    /// cancellation saga (refund, then cancelled) when paid.
    @Suite("Order cancellation")
    struct OrderCancellationTests {
        /// The order through the public API, polled (up to 30 s) while it is CANCELLING.
        static func settled(_ orderID: String, _ world: GatewayWorld) async throws -> Aftercare_Gateway_V1_OrderView {
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                let view = try await world.cli.call(GatewayMethods.getOrder, .with { $0.orderID = orderID }, key: nil)
                let sagas = try await world.cli.call(OperationsMethods.listSagas, .with { $0.definition = GatewaySagas.Name.orderCancellation }, key: nil).sagas
                let running = sagas.contains { $0.state == "running" || $0.state == "compensating" }
                if (view.order.status != .cancelling && !running) || ContinuousClock.now > deadline { return view }
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        @Test("unpaid: cancelled at once; paid: CANCELLING, the whole payment (shipping included) refunded by the saga, then CANCELLED, in both inboxes and out of the totals; the seller needs a reason; not once shipped, not someone else's, no case on it afterwards")
        func cancellations() async throws {
            try await GatewayWorld.run { world in
                let unpaid = try await world.buyer().call(GatewayMethods.createOrder, GatewayWorld.orderRequest([("sku_cx_a", 1, 2_000)], shippingFee: 0)).order
                let gone = try await world.buyer().call(GatewayMethods.cancelOrder, .with { $0.orderID = unpaid.orderID; $0.reason = "changed my mind" }).order
                #expect(gone.status == .cancelled && gone.cancelReason == "changed my mind")

                let paid = try await world.paidOrder([("sku_cx_b", 2, 3_000)], shippingFee: 800)
                try await expectStatus(.permissionDenied, containing: "order_id") {
                    _ = try await world.buyer("buyer_other").call(GatewayMethods.cancelOrder, .with { $0.orderID = paid.orderID }, key: nil)
                }
                let cancelling = try await world.buyer().call(GatewayMethods.cancelOrder, .with { $0.orderID = paid.orderID }).order
                #expect(cancelling.status == .cancelling || cancelling.status == .cancelled)
                let view = try await Self.settled(paid.orderID, world)
                #expect(view.order.status == .cancelled)
                #expect(view.order.refunded == GatewayWorld.cny(6_800) && view.order.refundable == GatewayWorld.cny(0))
                #expect(view.refunds.map(\.status) == [.refundSucceeded] && view.refunds.first?.amount == GatewayWorld.cny(6_800))
                let again = try await world.buyer().call(GatewayMethods.cancelOrder, .with { $0.orderID = paid.orderID }).order
                #expect(again.status == .cancelled)
                let sagas = try await world.cli.call(OperationsMethods.listSagas, .with { $0.definition = GatewaySagas.Name.orderCancellation }, key: nil).sagas
                #expect(sagas.map(\.state) == ["completed"])
                for inbox in [try await world.buyer().call(GatewayMethods.listNotifications, .with { $0.limit = 1_000 }, key: nil),
                              try await world.seller().call(GatewayMethods.listNotifications, .with { $0.limit = 1_000 }, key: nil)] {
                    let types = inbox.items.filter { $0.subjects.orderID == paid.orderID }.map(\.type)
                    #expect(types.contains("orders.order.cancelling") && types.contains("orders.order.cancelled"), "\(types)")
                }
                let totals = try await world.seller().call(GatewayMethods.getTotals, .init(), key: nil)
                #expect(totals.paid.isEmpty && totals.refunded.isEmpty, "a cancelled order is in neither sum: \(totals)")
                try await expectStatus(.failedPrecondition, containing: "cancelled") {
                    _ = try await world.apply(.refundOnly, paid, reason: .other)
                }

                let bySeller = try await world.paidOrder([("sku_cx_c", 1, 4_000)])
                try await expectStatus(.invalidArgument, containing: "reason") {
                    _ = try await world.seller().call(GatewayMethods.cancelOrder, .with { $0.orderID = bySeller.orderID }, key: nil)
                }
                _ = try await world.seller().call(GatewayMethods.cancelOrder, .with { $0.orderID = bySeller.orderID; $0.reason = "out of stock" })
                let sellerView = try await Self.settled(bySeller.orderID, world)
                #expect(sellerView.order.status == .cancelled && sellerView.order.cancelReason == "out of stock")

                let shipped = try await world.deliveredOrder([("sku_cx_d", 1, 5_000)], tracking: "SFCANCEL0001")
                try await expectStatus(.failedPrecondition, containing: "delivered") {
                    _ = try await world.buyer().call(GatewayMethods.cancelOrder, .with { $0.orderID = shipped.orderID }, key: nil)
                }
                let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
            }
        }

        @Test("the provider declines the cancellation's refund: the saga compensates, the order is PAID again with nothing refunded, reconciliation agrees; cancelled again, it is refunded")
        func declinedRefund() async throws {
            try await GatewayWorld.run(arguments: ["payments": ["--payments-simulator-decline-first-refund-ending-in", "98"]]) { world in
                let paid = try await world.paidOrder([("sku_cx_x", 1, 19_998)])
                _ = try await world.buyer().call(GatewayMethods.cancelOrder, .with { $0.orderID = paid.orderID; $0.reason = "too slow" })
                let view = try await Self.settled(paid.orderID, world)
                #expect(view.order.status == .paid && view.order.refunded == GatewayWorld.cny(0) && view.order.cancelReason.isEmpty)
                #expect(view.refunds.map(\.status) == [.refundFailed])
                let saga = try #require(
                    try await world.cli.call(OperationsMethods.listSagas, .with { $0.definition = GatewaySagas.Name.orderCancellation }, key: nil).sagas.first)
                #expect(saga.state == "compensated")
                let trail = try await world.cli.call(OperationsMethods.getSaga, .with { $0.sagaID = saga.sagaID }, key: nil).attempts
                #expect(trail.map { "\($0.step)=\($0.result)" } == ["refund=refused", "abandon_cancellation=ok"])
                let report = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
                // Paid again, it can be cancelled again: the provider pays this time.
                _ = try await world.buyer().call(GatewayMethods.cancelOrder, .with { $0.orderID = paid.orderID; $0.reason = "still too slow" })
                let cancelled = try await Self.settled(paid.orderID, world)
                #expect(cancelled.order.status == .cancelled && cancelled.order.refunded == GatewayWorld.cny(19_998))
                #expect(cancelled.refunds.map(\.status) == [.refundFailed, .refundSucceeded])
                let again = try await world.cli.call(OperationsMethods.reconcile, .init(), key: nil)
                #expect(again.disagreements.isEmpty, "\(again.disagreements.map(\.description_p))")
            }
        }
    }
}
