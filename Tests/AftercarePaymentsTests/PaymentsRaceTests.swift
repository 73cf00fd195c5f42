@testable import AftercarePayments
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Testing

/// The read-then-write checks of payments that guard money, with two writers racing on PostgreSQL
/// (``TwoWriters``), each reading, checking and writing as the service's transaction does. At READ
/// COMMITTED only the row lock, the lock key or the constraint keeps the invariant (without it,
/// each of these tests fails there); at SERIALIZABLE the loser's transaction may also be rolled
/// back and run again on the winner's commit, which alone would keep them too.
@Suite("Payments: two writers at once on PostgreSQL")
struct PaymentsRaceTests {
    static func successes<T>(_ results: [Result<T, any Error>]) -> [T] {
        results.compactMap { try? $0.get() }
    }

    @Test("two refund intents of one payment: never above what was captured", arguments: TwoWriters.Isolation.allCases)
    func refundsOfOnePayment(isolation: TwoWriters.Isolation) async throws {
        try await TestSQLDriver.postgres.withDatabase(migrations: .payments) { database in
            try await database.transaction { db in try PaymentsStore.insert(PaymentsStoreTests.payment("pay_1"), in: db) }
            let results = await TwoWriters.race(database, isolation: isolation) { writer, db, gate in
                // Payments.openIntent: the payment's row lock, then the limit from the sums.
                guard try PaymentsStore.lockForRefund(paymentID: "pay_1", in: db), let payment = try PaymentsStore.payment(id: "pay_1", in: db) else {
                    throw RPCError.notFound("payment_id", kind: "payment", id: "pay_1")
                }
                let sums = try PaymentsStore.refundSums(paymentID: payment.paymentID, in: db)
                let totals = RefundTotals(payment: payment, succeeded: sums.succeeded, pending: sums.pending)
                guard 6_000 <= totals.refundable else { throw RPCError.failedPrecondition("amount: exceeds \(totals.explanation)") }
                gate.pass()
                try PaymentsStore.insert(PaymentsStoreTests.refund("rfd_\(writer)", amount: 6_000), in: db)
            }
            #expect(Self.successes(results).count == 1)
            let failures = results.compactMap { result -> RPCError? in
                guard case .failure(let error) = result else { return nil }
                return error as? RPCError
            }
            #expect(failures.map(\.code) == [.failedPrecondition])
            let sums = try await database.snapshot { db in try PaymentsStore.refundSums(paymentID: "pay_1", in: db) }
            #expect(sums.pending == 6_000)
        }
    }

    /// Two writers each take the service's lock (`lock`), look for the row under their key
    /// (`find`) and, finding none, insert one (`insert(writer, db)`); answers what each returned
    /// (the id it inserted, or found) and the rows there are. The second writer waits at the lock
    /// for the first's commit, then finds its row: both answer it. Without the lock, at READ
    /// COMMITTED the second fails on the unique index (23505).
    static func raceForKey(
        _ isolation: TwoWriters.Isolation, setUp: @escaping @Sendable (any SQLConnection) throws -> Void = { _ in },
        lock: @escaping @Sendable (Int, any SQLConnection) throws -> Void,
        find: @escaping @Sendable (any SQLConnection) throws -> String?,
        insert: @escaping @Sendable (Int, any SQLConnection) throws -> String,
        count: String
    ) async throws -> (answers: [String], rows: Int64?) {
        try await TestSQLDriver.postgres.withDatabase(migrations: .payments) { database in
            try await database.transaction { db in try setUp(db) }
            let results = await TwoWriters.race(database, isolation: isolation) { writer, db, gate in
                try lock(writer, db)
                if let found = try find(db) { return found }
                gate.pass()
                return try insert(writer, db)
            }
            let rows = try await database.snapshot { db in try db.queryValue(count, as: Int64.self) }
            return (Self.successes(results), rows)
        }
    }

    @Test("two charges under one idempotency key: one payment", arguments: TwoWriters.Isolation.allCases)
    func oneChargePerKey(isolation: TwoWriters.Isolation) async throws {
        let (answers, rows) = try await Self.raceForKey(
            isolation, lock: { writer, db in try PaymentsStore.lockPay(key: "pay-key", orderID: "ord_\(writer)", in: db) },
            find: { db in try PaymentsStore.payment(idempotencyKey: "pay-key", in: db)?.paymentID },
            insert: { writer, db in
                try PaymentsStore.insert(PaymentsStoreTests.payment("pay_\(writer)", key: "pay-key", order: "ord_\(writer)", status: .pending), in: db)
                return "pay_\(writer)"
            }, count: "SELECT COUNT(*) FROM payments")
        #expect(rows == 1)
        #expect(answers.count == 2 && Set(answers).count == 1, "\(answers)")
    }

    @Test("two charges of one order under two keys: one live payment", arguments: TwoWriters.Isolation.allCases)
    func oneLivePaymentPerOrder(isolation: TwoWriters.Isolation) async throws {
        let (answers, rows) = try await Self.raceForKey(
            isolation,
            setUp: { db in try PaymentsStore.insert(PaymentsStoreTests.payment("pay_failed", order: "ord_1", status: .failed), in: db) },
            lock: { writer, db in try PaymentsStore.lockPay(key: "pay-key-\(writer)", orderID: "ord_1", in: db) },
            find: { db in try PaymentsStore.payments(orderID: "ord_1", in: db).first(where: { $0.status != .failed })?.paymentID },
            insert: { writer, db in
                try PaymentsStore.insert(PaymentsStoreTests.payment("pay_\(writer)", order: "ord_1", status: .pending), in: db)
                return "pay_\(writer)"
            }, count: "SELECT COUNT(*) FROM payments WHERE status <> 'failed'")
        #expect(rows == 1)
        #expect(answers.count == 2 && Set(answers).count == 1, "\(answers)")
    }

    @Test("two refund intents under one intent key: one refund", arguments: TwoWriters.Isolation.allCases)
    func oneRefundPerIntent(isolation: TwoWriters.Isolation) async throws {
        let (answers, rows) = try await Self.raceForKey(
            isolation, setUp: { db in try PaymentsStore.insert(PaymentsStoreTests.payment("pay_1"), in: db) },
            lock: { _, db in try PaymentsStore.lockRefundIntent(key: "intent-key", in: db) },
            find: { db in try PaymentsStore.refund(intentKey: "intent-key", in: db)?.refundID },
            insert: { writer, db in
                try PaymentsStore.insert(PaymentsStoreTests.refund("rfd_\(writer)", key: "intent-key", amount: 1_000), in: db)
                return "rfd_\(writer)"
            }, count: "SELECT COUNT(*) FROM refunds")
        #expect(rows == 1)
        #expect(answers.count == 2 && Set(answers).count == 1, "\(answers)")
    }
}
