@testable import AftercarePayments
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Testing

/// Payments' store, the same code on both drivers of the database layer: SQLite (GRDB) and
/// PostgreSQL (postgres-nio, a throw-away server of the test process's own).
@Suite("Payments store")
struct PaymentsStoreTests {
    static func payment(_ id: String, key: String? = nil, order: String = "ord_1", status: PaymentStatus = .captured, at now: Int64 = 10) -> PaymentRecord {
        PaymentRecord(
            paymentID: id, idempotencyKey: key ?? "key-\(id)", orderID: order, buyerID: "buyer_1", sellerID: "seller_1",
            amount: Aftercare_Common_V1_Money(10_000, "CNY"), channel: .alipay, status: status, providerReference: status == .captured ? "ch_\(id)" : "",
            failureReason: "", createdAtMicros: now, updatedAtMicros: now)
    }

    static func refund(_ id: String, key: String? = nil, payment: String = "pay_1", amount: Int64, status: RefundStatus = .pending, at now: Int64 = 20)
        -> RefundRecord
    {
        RefundRecord(
            refundID: id, intentKey: key ?? "intent-\(id)", paymentID: payment, orderID: "ord_1", buyerID: "buyer_1", sellerID: "seller_1",
            amount: Aftercare_Common_V1_Money(amount, "CNY"), channel: .alipay, reason: "damaged", chargeReference: "ch_\(payment)",
            manualReference: "", status: status, failureReason: "", providerReference: "", sagaID: "saga_1", sagaStep: "refund",
            traceID: "trace_1", createdAtMicros: now, updatedAtMicros: now, settledAtMicros: 0)
    }

    @Test("payments: inserted, found by id, key and order, pending listed, settled once, locked for refunds, alike on both drivers",
          arguments: TestSQLDriver.allCases)
    func payments(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: .payments) { database in
            let outcomes = try await database.transaction { db in
                try PaymentsStore.insert(Self.payment("pay_0", status: .failed, at: 5), in: db)
                try PaymentsStore.insert(Self.payment("pay_1", status: .pending, at: 10), in: db)
                try PaymentsStore.insert(Self.payment("pay_2", order: "ord_2", status: .pending, at: 11), in: db)
                return [
                    try PaymentsStore.settle(paymentID: "pay_1", status: .captured, providerReference: "ch_1", failureReason: "", atMicros: 30, in: db),
                    try PaymentsStore.settle(paymentID: "pay_1", status: .failed, providerReference: "", failureReason: "late", atMicros: 31, in: db),
                    try PaymentsStore.lockForRefund(paymentID: "pay_1", in: db),
                    try PaymentsStore.lockForRefund(paymentID: "pay_9", in: db),
                ]
            }
            #expect(outcomes == [true, false, true, false])
            try await database.snapshot { (db: any SQLConnection) throws in
                var captured = Self.payment("pay_1", status: .captured, at: 10)
                captured.providerReference = "ch_1"
                captured.updatedAtMicros = 30
                #expect(try PaymentsStore.payment(id: "pay_1", in: db) == captured)
                #expect(try PaymentsStore.payment(idempotencyKey: "key-pay_1", in: db) == captured)
                #expect(try PaymentsStore.payment(id: "pay_9", in: db) == nil)
                #expect(try PaymentsStore.payments(orderID: "ord_1", in: db).map(\.paymentID) == ["pay_0", "pay_1"])
                #expect(try PaymentsStore.pendingPayments(limit: 10, in: db).map(\.paymentID) == ["pay_2"])
                #expect(try PaymentsStore.pendingPayments(limit: 0, in: db).isEmpty)
            }
        }
    }

    @Test("refunds: inserted, found, summed by status, pending listed, settled once, alike on both drivers", arguments: TestSQLDriver.allCases)
    func refunds(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: .payments) { database in
            let settled = try await database.transaction { db in
                try PaymentsStore.insert(Self.payment("pay_1"), in: db)
                try PaymentsStore.insert(Self.refund("rfd_1", amount: 1_000, at: 20), in: db)
                try PaymentsStore.insert(Self.refund("rfd_2", amount: 2_000, at: 21), in: db)
                try PaymentsStore.insert(Self.refund("rfd_3", amount: 4_000, at: 22), in: db)
                try PaymentsStore.insert(Self.refund("rfd_4", amount: 300, at: 23), in: db)
                return [
                    try PaymentsStore.settle(refundID: "rfd_1", status: .succeeded, providerReference: "re_1", failureReason: "", atMicros: 40, in: db),
                    try PaymentsStore.settle(refundID: "rfd_3", status: .failed, providerReference: "", failureReason: "declined", atMicros: 41, in: db),
                    try PaymentsStore.settle(refundID: "rfd_3", status: .succeeded, providerReference: "re_3", failureReason: "", atMicros: 42, in: db),
                ]
            }
            #expect(settled == [true, true, false])
            try await database.snapshot { (db: any SQLConnection) throws in
                var succeeded = Self.refund("rfd_1", amount: 1_000, status: .succeeded, at: 20)
                succeeded.providerReference = "re_1"
                succeeded.updatedAtMicros = 40
                succeeded.settledAtMicros = 40
                #expect(try PaymentsStore.refund(id: "rfd_1", in: db) == succeeded)
                #expect(try PaymentsStore.refund(intentKey: "intent-rfd_1", in: db) == succeeded)
                #expect(try PaymentsStore.refund(id: "rfd_9", in: db) == nil)
                #expect(try PaymentsStore.refunds(paymentID: "pay_1", in: db).map(\.refundID) == ["rfd_1", "rfd_2", "rfd_3", "rfd_4"])
                let sums = try PaymentsStore.refundSums(paymentID: "pay_1", in: db)
                #expect(sums.succeeded == 1_000 && sums.pending == 2_300)
                let none = try PaymentsStore.refundSums(paymentID: "pay_9", in: db)
                #expect(none.succeeded == 0 && none.pending == 0)
                #expect(try PaymentsStore.pendingRefunds(limit: 1, in: db).map(\.refundID) == ["rfd_2"])
            }
        }
    }

    @Test("leases: taken only when free or expired and only while pending, released by their owner, all ended at once, alike on both drivers",
          arguments: TestSQLDriver.allCases)
    func leases(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: .payments) { database in
            let taken = try await database.transaction { db in
                try PaymentsStore.insert(Self.payment("pay_1", status: .pending), in: db)
                try PaymentsStore.insert(Self.payment("pay_2", order: "ord_2", status: .captured), in: db)
                try PaymentsStore.insert(Self.refund("rfd_1", payment: "pay_2", amount: 100), in: db)
                return [
                    try PaymentsStore.takeLease(.payment, id: "pay_1", owner: "a", nowMicros: 100, untilMicros: 200, in: db),
                    try PaymentsStore.takeLease(.payment, id: "pay_1", owner: "b", nowMicros: 150, untilMicros: 250, in: db),
                    try PaymentsStore.takeLease(.payment, id: "pay_1", owner: "b", nowMicros: 200, untilMicros: 300, in: db),
                    try PaymentsStore.takeLease(.payment, id: "pay_2", owner: "a", nowMicros: 100, untilMicros: 200, in: db),
                    try PaymentsStore.takeLease(.refund, id: "rfd_1", owner: "a", nowMicros: 100, untilMicros: 200, in: db),
                ]
            }
            #expect(taken == [true, false, true, false, true])
            let (afterRelease, released) = try await database.transaction { db in
                try PaymentsStore.releaseLease(.payment, id: "pay_1", owner: "a", in: db)
                let stillB = try PaymentsStore.lease(.payment, id: "pay_1", in: db)
                try PaymentsStore.releaseLease(.payment, id: "pay_1", owner: "b", in: db)
                _ = try PaymentsStore.takeLease(.payment, id: "pay_1", owner: "c", nowMicros: 210, untilMicros: 400, in: db)
                try PaymentsStore.releaseLease(.refund, id: "rfd_1", owner: "b", in: db)
                let stillA = try PaymentsStore.lease(.refund, id: "rfd_1", in: db)
                try PaymentsStore.releaseLease(.refund, id: "rfd_1", owner: "a", in: db)
                let freed = try PaymentsStore.lease(.refund, id: "rfd_1", in: db)
                _ = try PaymentsStore.takeLease(.refund, id: "rfd_1", owner: "d", nowMicros: 150, untilMicros: 400, in: db)
                return (
                    [stillB?.owner, try PaymentsStore.lease(.payment, id: "pay_1", in: db)?.owner, stillA?.owner, freed?.owner,
                     try PaymentsStore.lease(.refund, id: "rfd_1", in: db)?.owner],
                    try PaymentsStore.releaseEveryLease(in: db))
            }
            #expect(afterRelease == ["b", "c", "a", "", "d"])
            #expect(released == 2)
            try await database.snapshot { (db: any SQLConnection) throws in
                #expect(try PaymentsStore.lease(.refund, id: "rfd_1", in: db)?.owner == "")
                #expect(try PaymentsStore.lease(.payment, id: "pay_1", in: db)?.expiresAtMicros == 0)
                #expect(try PaymentsStore.lease(.refund, id: "rfd_9", in: db) == nil)
            }
        }
    }
}
