import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// `PayOrder` cannot leave money captured on an order that is not paid.
    @Suite("Paying durably")
    struct PayDurablyTests {
        /// An order created, then paid through a gateway armed to SIGKILL itself right after the
        /// capture (`gateway.pay-captured`), then started again; answers the order.
        static func payThroughDyingGateway(_ world: GatewayWorld, sku: String, whileDown: (Aftercare_Orders_V1_Order) async throws -> Void = { _ in })
            async throws -> Aftercare_Orders_V1_Order
        {
            let order = try await world.buyer().call(GatewayMethods.createOrder, GatewayWorld.orderRequest([(sku, 1, 4_200)], shippingFee: 0)).order
            // The gateway's relay of payments' feed would otherwise race the crash point and may
            // mark the order paid first; its MarkPaid waits until the gateway is gone.
            try await StepRefusalTests.faults(world, "delay-request orders/MarkPaid 10s")
            try await world.armCrashPoint("gateway", "gateway.pay-captured@\(order.orderID)")
            await #expect(throws: RPCError.self) {
                _ = try await world.buyer().call(GatewayMethods.payOrder, .with { $0.orderID = order.orderID; $0.channel = .card })
            }
            let ending = try await world.process("gateway").waitUntilEnded(within: .seconds(10))
            #expect(ending == .signalled(SIGKILL))
            let captured = try await world.direct["payments"]!.unary(PaymentsMethods.listPayments, .with { $0.orderID = order.orderID }).payments
            #expect(captured.map(\.status) == [.paymentCaptured])
            #expect(try await world.direct["orders"]!.unary(OrdersMethods.getOrder, .with { $0.orderID = order.orderID }).order.status == .created)
            try await whileDown(order)
            try await world.relaunch("gateway")
            return order
        }

        @Test("the gateway killed between the capture and the order's update: the order is paid from payments' feed, with no retry")
        func orderPaidFromTheFeed() async throws {
            try await GatewayWorld.run { world in
                let order = try await Self.payThroughDyingGateway(world, sku: "sku_paykill")
                let deadline = ContinuousClock.now + .seconds(20)
                var view = try await world.buyer().persist(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
                while view.order.status == .created && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                    view = try await world.buyer().persist(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
                }
                #expect(view.order.status == .paid)
                #expect(view.payments.count == 1 && view.order.paymentID == view.payments.first?.paymentID)
                #expect(view.order.paid == GatewayWorld.cny(4_200))
                let report = try await world.cli.persist(OperationsMethods.reconcile, .init(), key: nil)
                #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
            }
        }

        @Test("a capture on an order cancelled meanwhile cannot pay it: the relay leaves it, reconciliation reports the money")
        func captureOnCancelledOrder() async throws {
            try await GatewayWorld.run { world in
                let order = try await Self.payThroughDyingGateway(world, sku: "sku_paycancel") { order in
                    _ = try await world.direct["orders"]!.unary(OrdersMethods.cancelOrder, .with { $0.orderID = order.orderID; $0.reason = "changed my mind" })
                }
                let payment = try #require(try await world.direct["payments"]!.unary(PaymentsMethods.listPayments, .with { $0.orderID = order.orderID }).payments.first)
                let deadline = ContinuousClock.now + .seconds(20)
                var found: [Aftercare_Gateway_V1_Disagreement] = []
                while found.isEmpty && ContinuousClock.now < deadline {
                    found = try await world.cli.persist(OperationsMethods.reconcile, .init(), key: nil).disagreements
                    if found.isEmpty { try await Task.sleep(for: .milliseconds(200)) }
                }
                #expect(found.map(\.kind) == ["capture_without_paid_order"])
                #expect(found.first?.records.map(\.id) == [payment.paymentID, order.orderID])
                #expect(found.first?.description_p.contains("cancelled, not paid") == true, "\(found.map(\.description_p))")
                let view = try await world.buyer().persist(GatewayMethods.getOrder, .with { $0.orderID = order.orderID }, key: nil)
                #expect(view.order.status == .cancelled)
                #expect(world.process("gateway").log.contains("a captured payment cannot pay its order"))
            }
        }
    }
}
