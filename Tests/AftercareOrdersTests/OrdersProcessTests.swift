import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Foundation
import SwiftProtobuf
import Testing

/// The real `aftercare-orders` executable over a Unix socket with mutual TLS: the lifecycle, data
/// after SIGKILL and a restart on the same directory, and the feed read on from a cursor.
@Suite("aftercare-orders process")
struct OrdersProcessTests {
    @Test("create, pay, ship, deliver, complete; after SIGKILL and a restart the order, keys and step ledger are intact")
    func lifecycleSurvivesKill() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await ServiceProcess.start("orders", in: directory)
        let completed = try await first.withClient { rpc in
            let client = OrdersClient(rpc: rpc)
            let order = try await client.create(key: "create-1")
            _ = try await client.markPaid(order)
            _ = try await client.call(OrdersMethods.markShipped, .with { $0.orderID = order.orderID })
            _ = try await client.call(OrdersMethods.markDelivered, .with { $0.orderID = order.orderID })
            let completed = try await client.call(OrdersMethods.completeOrder, .with { $0.orderID = order.orderID }).order
            #expect(completed.status == .completed)
            _ = try await client.call(
                OrdersMethods.reserveRefund, .with { $0.caseID = "case_1"; $0.orderID = order.orderID; $0.amount = .init(2_000, "CNY") },
                saga: .forward("sg_1", "reserve"))
            return try await client.order(order.orderID)
        }
        first.kill()
        #expect(!first.isRunning)

        let second = try await ServiceProcess.start("orders", in: directory)
        try await second.withClient { rpc in
            let client = OrdersClient(rpc: rpc)
            #expect(try await client.order(completed.orderID) == completed)
            // The key and the step ledger survived: the retries are answered, nothing is applied twice.
            #expect(try await client.create(key: "create-1").orderID == completed.orderID)
            let replay = try await client.call(
                OrdersMethods.reserveRefund, .with { $0.caseID = "case_1"; $0.orderID = completed.orderID; $0.amount = .init(2_000, "CNY") },
                saga: .forward("sg_1", "reserve"))
            #expect(replay.order.reserved == .init(2_000, "CNY"))
            #expect(try await client.queryStep("sg_1", "reserve").forward.outcome == .done)
            let page = try await client.call(
                OrdersMethods.listOrders, .with { $0.buyerID = completed.buyerID; $0.statuses = [.completed] })
            #expect(page.orders.map(\.orderID) == [completed.orderID])
        }
        #expect(try await second.stop() == 0)
    }

    @Test("armed by AFTERCARE_CRASH_AT, the process dies right after committing a keyed write; restarted, the retry gets that order, made once")
    func crashPointFromTheEnvironment() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let armed = try await ServiceProcess.start(
            "orders", in: directory, environment: ["AFTERCARE_CRASH_AT": "service.keyed-committed@*/CreateOrder/create-crash"])
        await #expect(throws: RPCError.self) {
            try await armed.withClient { rpc in _ = try await OrdersClient(rpc: rpc).create(key: "create-crash") }
        }
        #expect(try await armed.waitUntilEnded(within: .seconds(10)) == .signalled(SIGKILL))
        #expect(armed.log.contains("crash point reached"))

        let restarted = try await ServiceProcess.start("orders", in: directory)
        try await restarted.withClient { rpc in
            let client = OrdersClient(rpc: rpc)
            let order = try await client.create(key: "create-crash")
            let page = try await client.call(OrdersMethods.listOrders, .with { $0.buyerID = order.buyerID })
            #expect(page.orders.map(\.orderID) == [order.orderID])
        }
        #expect(try await restarted.stop() == 0)
    }

    @Test("the feed read from a cursor continues after a restart, without gaps or repeats")
    func feedCursorAcrossRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await ServiceProcess.start("orders", in: directory)
        let (cursor, firstSeqs) = try await first.withClient { rpc in
            let client = OrdersClient(rpc: rpc)
            let order = try await client.create()
            _ = try await client.markPaid(order)
            try await client.setStock("tea-green", 4)
            let page = try await client.call(FeedMethods.readEvents, .with { $0.afterSeq = 0; $0.limit = 2 })
            #expect(page.headSeq == 3)
            return (page.nextAfterSeq, page.events.map(\.seq))
        }
        #expect(firstSeqs == [1, 2])
        first.kill()

        let second = try await ServiceProcess.start("orders", in: directory)
        try await second.withClient { rpc in
            let client = OrdersClient(rpc: rpc)
            _ = try await client.paidOrder(buyer: "b_2")
            let rest = try await client.call(FeedMethods.readEvents, .with { $0.afterSeq = cursor })
            #expect(rest.events.map(\.seq) == [3, 4, 5])
            #expect(rest.events.map(\.type) == ["orders.stock.changed", "orders.order.created", "orders.order.paid"])
            #expect(rest.nextAfterSeq == 5 && rest.headSeq == 5)
            #expect(rest.events[1].buyerID == "b_2")
        }
        #expect(try await second.stop() == 0)
    }
}
