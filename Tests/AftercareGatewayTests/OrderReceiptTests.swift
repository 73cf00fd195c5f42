import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// Orders complete: the buyer confirms receipt, or the order completes by itself.
    @Suite("Order receipt")
    struct OrderReceiptTests {
        @Test("the buyer confirms receipt of a delivered order (again: the same order), and a later application's review knows when; not before delivery, not someone else's; unconfirmed, an order completes by itself at its deadline")
        func receipt() async throws {
            try await GatewayWorld.run(arguments: ["orders": ["--orders-auto-complete-interval-ms", "50"]]) { world in
                let confirmed = try await world.deliveredOrder([("sku_receipt_a", 1, 3_000)], tracking: "SFRECEIPT0001")
                #expect(confirmed.status == .delivered)
                #expect(confirmed.autoCompleteAtUnixMicros == confirmed.deliveredAtUnixMicros + 168 * 3_600_000_000)
                try await expectStatus(.permissionDenied, containing: "is for buyer, operator, platform, not seller") {
                    _ = try await world.seller().call(GatewayMethods.completeOrder, .with { $0.orderID = confirmed.orderID }, key: nil)
                }
                try await expectStatus(.permissionDenied, containing: "order_id") {
                    _ = try await world.buyer("buyer_other").call(GatewayMethods.completeOrder, .with { $0.orderID = confirmed.orderID }, key: nil)
                }
                let completed = try await world.buyer().call(GatewayMethods.completeOrder, .with { $0.orderID = confirmed.orderID }, key: nil).order
                #expect(completed.status == .completed && completed.completedAtUnixMicros >= completed.deliveredAtUnixMicros)
                let again = try await world.buyer().call(GatewayMethods.completeOrder, .with { $0.orderID = confirmed.orderID }, key: nil).order
                #expect(again == completed)
                // The review sees when the order completed (a policy may count its windows from it).
                let afterReceipt = try await world.apply(.returnAndRefund, completed)
                #expect(afterReceipt.decision.factsJson.contains("\"completedAtMicros\":\(completed.completedAtUnixMicros)"), "\(afterReceipt.decision.factsJson)")

                let paid = try await world.paidOrder([("sku_receipt_b", 1, 3_100)])
                try await expectStatus(.failedPrecondition, containing: "paid") {
                    _ = try await world.buyer().call(GatewayMethods.completeOrder, .with { $0.orderID = paid.orderID }, key: nil)
                }

                // Unconfirmed: nothing happens before the deadline, then the pass completes it.
                let waiting = try await world.deliveredOrder([("sku_receipt_c", 1, 3_200)], tracking: "SFRECEIPT0003")
                _ = try await world.direct["orders"]!.unary(OperatorMethods.advanceClock, .with { $0.byMicros = 167 * 3_600_000_000 })
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await world.buyer().call(GatewayMethods.getOrder, .with { $0.orderID = waiting.orderID }, key: nil).order.status == .delivered)
                _ = try await world.direct["orders"]!.unary(OperatorMethods.advanceClock, .with { $0.byMicros = 2 * 3_600_000_000 })
                let deadline = ContinuousClock.now + .seconds(20)
                var view = try await world.buyer().call(GatewayMethods.getOrder, .with { $0.orderID = waiting.orderID }, key: nil)
                while view.order.status != .completed && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                    view = try await world.buyer().call(GatewayMethods.getOrder, .with { $0.orderID = waiting.orderID }, key: nil)
                }
                #expect(view.order.status == .completed)
                #expect(view.order.completedAtUnixMicros >= waiting.autoCompleteAtUnixMicros)
                #expect(world.process("orders").log.contains("order completed by itself"))
                #expect(try await world.buyer().call(GatewayMethods.getOrder, .with { $0.orderID = paid.orderID }, key: nil).order.status == .paid)
            }
        }
    }
}
