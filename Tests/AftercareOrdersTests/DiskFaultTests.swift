import AftercareOrdersAPI
import AftercareRPC
import AftercareTesting
import AftercareWire
import Foundation
import SwiftProtobuf
import Testing

/// The real `aftercare-orders` with its database on a small tmpfs that a test fills up: a write
/// the disk refuses says so, changes nothing, and turns health NOT_SERVING until there is room.
/// Needs root to mount the tmpfs.
@Suite("aftercare-orders on a full disk")
struct DiskFaultTests {
    @Test(
        "disk full: UNAVAILABLE naming SQLITE_FULL, not executed, logged with the trace id, health NOT_SERVING on database, nothing half-written; with room again: SERVING, and the same call succeeds"
    )
    func fullDisk() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let disk = try Tmpfs(at: directory.appending("disk"), size: "2m")
        defer { disk.unmount() }
        let orders = try await ServiceProcess.start("orders", in: directory, databasePath: disk.appending("orders.sqlite"))
        defer { orders.kill() }
        let filler = try disk.fill()
        let trace = TraceID.random()

        try await orders.withClient { rpc in
            let client = OrdersClient(rpc: rpc)
            let create = CallOptions(traceParent: TraceParent(traceID: trace, parentID: 1), idempotencyKey: "full-1")
            let error = await #expect(throws: RPCError.self) {
                _ = try await rpc.unary(OrdersMethods.createOrder, OrdersClient.sampleOrder(), options: create)
            }
            #expect(error?.code == .unavailable)
            #expect(error?.outcome == .notExecuted)
            #expect(error?.message.contains("SQLITE_FULL") == true)
            #expect(error?.message.contains("nothing was changed") == true)
            #expect(error?.retryAfter != nil)

            let sick = try await rpc.unary(BuiltinMethods.health, .init())
            #expect(sick.status == .notServing)
            let check = try #require(sick.checks.first { $0.name == "database" })
            #expect(!check.ok)
            #expect(check.detail.contains("SQLITE_FULL"))
            // Nothing half-written: no order, no event, and the key is free.
            #expect(try await client.call(OrdersMethods.listOrders, .with { $0.buyerID = "b_1" }).orders.isEmpty)
            #expect(try await rpc.unary(FeedMethods.readEvents, .init()).headSeq == 0)

            try FileManager.default.removeItem(atPath: filler)
            let healthy = try await rpc.unary(BuiltinMethods.health, .init())
            #expect(healthy.status == .serving)
            #expect(healthy.checks.allSatisfy { $0.ok })
            let order = try await rpc.unary(OrdersMethods.createOrder, OrdersClient.sampleOrder(), options: create).order
            #expect(try await client.call(OrdersMethods.listOrders, .with { $0.buyerID = "b_1" }).orders.map(\.orderID) == [order.orderID])
            #expect(try await rpc.unary(FeedMethods.readEvents, .init()).headSeq > 0)
        }
        let failure = orders.log.split(separator: "\n").filter { $0.contains("call failed") && $0.contains("SQLITE_FULL") }
        #expect(failure.count == 1)
        #expect(failure.first?.contains("trace.id=\(trace)") == true)
        #expect(failure.first?.contains("CreateOrder") == true)
        #expect(try await orders.stop() == 0)
    }
}
