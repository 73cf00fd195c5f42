@testable import AftercareOrders
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Testing

/// The read-then-write checks of orders that guard money or stock, with two writers racing on
/// PostgreSQL (``TwoWriters``): each takes the row locks the service takes (the case's reservation,
/// then the order, then the SKU), reads, checks, and writes, as the service's transaction does. At
/// READ COMMITTED only the lock keeps the invariant (without it, each of these tests fails there);
/// at SERIALIZABLE the loser's transaction is rolled back and runs again on the
/// winner's commit — which alone would keep the invariants too: the locks are there so that they do
/// not hang on the isolation level.
@Suite("Orders: two writers at once on PostgreSQL")
struct OrdersRaceTests {
    let store = OrdersStore()

    static func successes<T>(_ results: [Result<T, any Error>]) -> Int {
        results.filter { if case .success = $0 { true } else { false } }.count
    }

    /// The refusals among `results` are FAILED_PRECONDITION, the check's.
    static func refusalsAreTheChecks<T>(_ results: [Result<T, any Error>]) -> Bool {
        results.allSatisfy { result in
            guard case .failure(let error) = result else { return true }
            return (error as? RPCError)?.code == .failedPrecondition
        }
    }

    @Test("two refund reservations of one order: never above what was paid, nor a line's units", arguments: TwoWriters.Isolation.allCases)
    func reservationsOfOneOrder(isolation: TwoWriters.Isolation) async throws {
        let store = self.store
        try await TestSQLDriver.postgres.withDatabase(migrations: .orders) { database in
            try await database.transaction { db in
                try store.insert(OrdersStoreTests.order("ord_1"), in: db)
                try store.update(OrdersStoreTests.paid(OrdersStoreTests.order("ord_1")), in: db)
            }
            let results = await TwoWriters.race(database, isolation: isolation) { writer, db, gate in
                let caseID = "case_\(writer)"
                try store.lockReservation(caseID, in: db)
                try store.lockOrder("ord_1", in: db)
                let order = try store.requireOrder("ord_1", in: db)
                try order.refundBook.checkReservation(6_000, orderID: order.orderID)
                try order.line("ord_1_l2", field: "line_id").units.checkReservation(1, lineID: "ord_1_l2")
                gate.pass()
                try store.save(OrdersStoreTests.reservation(caseID, orderID: "ord_1", amount: 6_000, lines: [("ord_1_l2", 1)]), in: db)
            }
            #expect(Self.successes(results) == 1)
            #expect(Self.refusalsAreTheChecks(results))
            let order = try #require(try await database.snapshot { db in try store.order("ord_1", in: db) })
            #expect(order.reserved == .init(6_000, "CNY"))
            #expect(order.lines.map(\.reservedQuantity) == [0, 1])
        }
    }

    @Test("two replacements taking a SKU's last unit: the stock never goes below zero", arguments: TwoWriters.Isolation.allCases)
    func lastUnitOfStock(isolation: TwoWriters.Isolation) async throws {
        let store = self.store
        try await TestSQLDriver.postgres.withDatabase(migrations: .orders) { database in
            _ = try await database.transaction { db in try store.setStock("sku_1", to: 1, movementID: "stm_set", reason: "set", now: 1, in: db) }
            let results = await TwoWriters.race(database, isolation: isolation) { writer, db, gate in
                try store.lockStock("sku_1", in: db)
                let stock = try store.stock("sku_1", in: db)
                guard stock.quantity >= 1 else { throw RPCError.failedPrecondition("stock of sku_1: \(stock.quantity) available, requested 1") }
                gate.pass()
                try store.setStock("sku_1", to: stock.quantity - 1, movementID: "stm_\(writer)", caseID: "case_\(writer)", reason: "replacement reserved", now: 2, in: db)
            }
            #expect(Self.successes(results) == 1)
            #expect(Self.refusalsAreTheChecks(results))
            let (quantity, moved) = try await database.snapshot { db in
                (try store.stock("sku_1", in: db).quantity, try db.queryValue("SELECT SUM(delta) FROM stock_movements", as: Int64.self))
            }
            #expect(quantity == 0)
            #expect(moved == 0)
        }
    }

    @Test("two commits of one refund reservation: it commits once, the order's refunded amount counts it once", arguments: TwoWriters.Isolation.allCases)
    func oneCommitPerRefund(isolation: TwoWriters.Isolation) async throws {
        let store = self.store
        try await TestSQLDriver.postgres.withDatabase(migrations: .orders) { database in
            try await database.transaction { db in
                try store.insert(OrdersStoreTests.order("ord_1"), in: db)
                try store.update(OrdersStoreTests.paid(OrdersStoreTests.order("ord_1")), in: db)
                try store.save(OrdersStoreTests.reservation("case_1", orderID: "ord_1", amount: 5_000), in: db)
            }
            let results = await TwoWriters.race(database, isolation: isolation) { _, db, gate in
                try store.lockReservation("case_1", in: db)
                var reservation = try store.requireReservation("case_1", in: db)
                guard reservation.status == .open else { throw RPCError.failedPrecondition("reservation of case_1 is \(reservation.status.name)") }
                try store.lockOrder(reservation.orderID, in: db)
                var order = try store.requireOrder(reservation.orderID, in: db)
                gate.pass()
                order.refunded.amountMinor += reservation.amount.amountMinor
                try store.update(order, in: db)
                reservation.status = .committed
                reservation.committedAmount = reservation.amount
                try store.save(reservation, in: db)
            }
            #expect(Self.successes(results) == 1)
            #expect(Self.refusalsAreTheChecks(results))
            let order = try #require(try await database.snapshot { db in try store.order("ord_1", in: db) })
            #expect(order.refunded == .init(5_000, "CNY"))
            #expect(order.reserved == .init(0, "CNY"))
        }
    }
}
