import AftercareOrders
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Foundation
import SwiftProtobuf
import Testing

/// The orders service itself on PostgreSQL: its handlers, the ledgers and the feed over a
/// ``PostgresServiceDatabase`` of its own, served in process — the same calls as on SQLite, and
/// concurrent calls on one order held by its row locks.
@Suite("Orders service on PostgreSQL")
struct OrdersOnPostgresTests {
    /// Serves orders (with the feed and step methods) over a fresh PostgreSQL database and runs
    /// `body` with a client of it.
    static func withService<T: Sendable>(_ body: @Sendable (OrdersClient) async throws -> T) async throws -> T {
        try await TestSQLDriver.postgres.withDatabase(migrations: .orders) { database in
            let clock = ServiceClock(testMode: true, fixedStart: Date(timeIntervalSince1970: 1_790_000_000))
            let feed = EventFeed(source: "orders", database: database, clock: clock)
            let ledger = MutationLedger(database: database, clock: clock)
            return try await TestSystem.run(
                on: .inProcess,
                services: [
                    OrdersService(database: database, clock: clock, feed: feed, ledger: ledger), FeedService(feed: feed),
                    StepService(ledger: ledger.steps),
                ],
                configuration: .init(name: "aftercare-orders"), serverName: "orders"
            ) { system in try await body(OrdersClient(rpc: system.client)) }
        }
    }

    static func reserve(_ order: Aftercare_Orders_V1_Order, _ amount: Int64, caseID: String) -> Aftercare_Orders_V1_ReserveRefundRequest {
        .with { $0.caseID = caseID; $0.orderID = order.orderID; $0.amount = .init(amount, "CNY") }
    }

    @Test("an order's life, a refund reserved and committed once, a replacement taken from stock and given back")
    func refundAndReplacement() async throws {
        try await Self.withService { client in
            let order = try await client.paidOrder()
            #expect(order.status == .paid && order.refundable == .init(10_000, "CNY"))
            try await client.setStock("cup-blue", 1)
            let reserved = try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 3_000, caseID: "case_1"), saga: .forward("sg_1", "reserve"))
            #expect(reserved.order.reserved == .init(3_000, "CNY"))
            let commit = Aftercare_Orders_V1_CommitRefundRequest.with {
                $0.caseID = "case_1"; $0.refundedAmount = .init(3_000, "CNY")
                $0.lines = [.with { $0.lineID = order.lines[0].lineID; $0.refundedQuantity = 1 }]
            }
            let committed = try await client.call(OrdersMethods.commitRefund, commit, saga: .forward("sg_1", "commit"))
            #expect(committed.reservation.status == .committed)
            #expect(committed.order.refunded == .init(3_000, "CNY") && committed.order.reserved == .init(0, "CNY"))
            // Another step committing the same case again: refused, nothing booked twice.
            await #expect(throws: RPCError.self) { try await client.call(OrdersMethods.commitRefund, commit, saga: .forward("sg_2", "commit")) }
            let replacement = Aftercare_Orders_V1_ReserveReplacementRequest.with {
                $0.caseID = "case_2"; $0.orderID = order.orderID; $0.lineID = order.lines[1].lineID; $0.replacementSku = "cup-blue"; $0.quantity = 1
            }
            _ = try await client.call(OrdersMethods.reserveReplacement, replacement, saga: .forward("sg_3", "reserve"))
            #expect(try await client.stock("cup-blue") == 0)
            _ = try await client.call(OrdersMethods.reserveReplacement, replacement, saga: .compensate("sg_3", "reserve"))
            #expect(try await client.stock("cup-blue") == 1)
            let totals = try await client.call(OrdersMethods.getTotals, .with { $0.partyKind = .platform; $0.fromUnixMicros = 0; $0.toUnixMicros = Int64.max })
            #expect(totals.orders == 1 && totals.paid == [.init(10_000, "CNY")] && totals.refunded == [.init(3_000, "CNY")])
            let final = try await client.order(order.orderID)
            #expect(final.refunded == .init(3_000, "CNY") && final.lines[0].refundedQuantity == 1)
        }
    }

    @Test("two ReserveRefund calls of one order at once, each above half of it: one reserves, the other is refused")
    func concurrentReservations() async throws {
        try await Self.withService { client in
            let order = try await client.paidOrder()
            async let first = Result { try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 6_000, caseID: "case_1"), saga: .forward("sg_1", "reserve")) }
            async let second = Result { try await client.call(OrdersMethods.reserveRefund, Self.reserve(order, 6_000, caseID: "case_2"), saga: .forward("sg_2", "reserve")) }
            let results = await [first, second]
            #expect(results.filter { (try? $0.get()) != nil }.count == 1)
            let refusals = results.compactMap { result -> RPCError.Code? in
                guard case .failure(let error) = result else { return nil }
                return (error as? RPCError)?.code
            }
            #expect(refusals == [.failedPrecondition])
            let final = try await client.order(order.orderID)
            #expect(final.reserved == .init(6_000, "CNY") && final.refundable == .init(4_000, "CNY"))
        }
    }
}

fileprivate extension Result where Failure == any Error {
    /// The result of an async throwing call.
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
