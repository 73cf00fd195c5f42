import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import GRDB
import Testing

@testable import AftercarePayments

/// The in-flight guard as a lease on the row, between two writers of one database file — as two
/// payments processes on one database are.
@Suite("Provider leases")
struct ProviderLeaseTests {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    @Test("two writers on one file race for one intent's lease, again and again: exactly one wins each time")
    func oneWinner() async throws {
        try await Self.withTwoWriters { first, second, clock in
            let refund = try await Self.pendingRefund(in: first.database, clock: clock)
            for round in 0..<20 {
                async let a = first.take(refund)
                async let b = second.take(refund)
                let owners = [try await a, try await b].compactMap { $0 }
                #expect(owners.count == 1, "round \(round): \(owners)")
                let owner = try #require(owners.first)
                // A third try, by either, loses while the lease is live.
                #expect(try await second.take(refund) == nil)
                #expect(try await first.take(refund) == nil)
                // Only its holder's release ends it.
                let holder = owner.hasPrefix("a#") ? first : second
                let other = owner.hasPrefix("a#") ? second : first
                await other.leases.release(.refund, id: refund, owner: "\(other.leases.instance)#1", in: other.database)
                #expect(try await Self.lease(refund, first.database)?.owner == owner)
                await holder.leases.release(.refund, id: refund, owner: owner, in: holder.database)
                #expect(try await Self.lease(refund, first.database)?.owner == "")
            }
        }
    }

    @Test("a lease whose holder died expires: the other writer takes it over, and the late holder's release does not end the new lease")
    func expiredLeaseIsTakenOver() async throws {
        try await Self.withTwoWriters { first, second, clock in
            let refund = try await Self.pendingRefund(in: first.database, clock: clock)
            let dead = try #require(try await first.take(refund))
            #expect(try await second.take(refund) == nil)
            try clock.advance(byMicros: 29_000_000)
            #expect(try await second.take(refund) == nil)
            try clock.advance(byMicros: 1_000_000)
            let taken = try #require(try await second.take(refund))
            #expect(taken.hasPrefix("b#"))
            let lease = try #require(try await Self.lease(refund, first.database))
            #expect(lease.owner == taken && lease.expiresAtMicros == clock.nowMicros + 30_000_000)
            await first.leases.release(.refund, id: refund, owner: dead, in: first.database)
            #expect(try await Self.lease(refund, first.database)?.owner == taken)
            // Settling the intent ends its lease; a settled intent is never leased again.
            _ = try await second.database.write { db in
                try PaymentsStore.settle(refundID: refund, status: .succeeded, providerReference: "r", failureReason: "", atMicros: clock.nowMicros, in: db)
            }
            #expect(try await Self.lease(refund, first.database)?.owner == "")
            #expect(try await first.take(refund) == nil)
        }
    }

    @Test("a second call for a key another call is settling is answered UNAVAILABLE, not executed: retry with the same key")
    func secondCallWhileLeased() async throws {
        var rules = SimulatorRules()
        rules.latency = .milliseconds(300)
        try await PaymentsHarness.run(rules: rules) { harness in
            let payment = try await harness.pay()
            async let first = harness.refund(payment.paymentID, amount: 1_000, key: "refund-leased")
            try await Task.sleep(for: .milliseconds(100))
            let error = await #expect(throws: RPCError.self) { _ = try await harness.refund(payment.paymentID, amount: 1_000, key: "refund-leased") }
            #expect(error?.code == .unavailable && error?.outcome == .notExecuted)
            #expect(error?.message.contains("in progress") == true)
            #expect(try await first.status == .refundSucceeded)
            #expect(try await harness.refund(payment.paymentID, amount: 1_000, key: "refund-leased").status == .refundSucceeded)
        }
    }

    @Test("a refund whose caller gives up while the provider is at it is settled all the same and its lease let go: the retry under its key is answered within seconds, paid once")
    func callerGivesUp() async throws {
        var rules = SimulatorRules()
        rules.latency = .milliseconds(600)
        try await PaymentsHarness.run(rules: rules) { harness in
            try await Self.refundAfterTheCallerGaveUp(harness.client, harness.ledger)
        }
    }

    /// A refund called with a deadline (150 ms) shorter than the provider takes, then retried
    /// under its key until answered: the provider paid it once, and the answer came long before
    /// the lease (30 s) would have run out.
    static func refundAfterTheCallerGaveUp(_ client: RPCClient, _ ledger: ProviderLedger) async throws {
        let payment = try await client.pay(order: "ord_gone", amount: 5_000, key: "pay-gone")
        var request = Aftercare_Payments_V1_RefundRequest()
        request.paymentID = payment.paymentID
        request.amount = Aftercare_Common_V1_Money(2_000, "CNY")
        request.reason = "the buyer changed their mind"
        let gaveUp = await #expect(throws: RPCError.self) {
            _ = try await client.unary(
                PaymentsMethods.refund, request, options: CallOptions(timeout: .milliseconds(150), idempotencyKey: "refund-gone"))
        }
        #expect(gaveUp?.code == .deadlineExceeded)
        let started = ContinuousClock.now
        var answer: Aftercare_Payments_V1_Refund?
        while answer == nil, ContinuousClock.now - started < .seconds(10) {
            do {
                answer = try await client.refund(payment.paymentID, amount: 2_000, reason: request.reason, key: "refund-gone")
            } catch let error as RPCError where error.code == .unavailable {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(answer?.status == .refundSucceeded, "the retry was still refused after 10 s: the lease was held")
        #expect(try await ledger.refunds(of: payment.providerReference).count == 1)
    }

    @Test("a process restarted under its instance name takes its predecessor's leases back; another instance's stay", arguments: TestSQLDriver.allCases)
    func namedInstance(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: .payments) { database in
            let clock = ServiceClock(testMode: true, fixedStart: Self.start)
            let now = clock.nowMicros
            let payment = PaymentRecord(
                paymentID: "pay_1", idempotencyKey: "pay-1", orderID: "ord_1", buyerID: "buyer_1", sellerID: "seller_1",
                amount: Aftercare_Common_V1_Money(10_000, "CNY"), channel: .alipay, status: .captured, providerReference: "ch_1", failureReason: "",
                createdAtMicros: now, updatedAtMicros: now)
            let refunds = (1...3).map { index in
                RefundRecord(
                    refundID: "rfd_\(index)", intentKey: "refund-\(index)", paymentID: "pay_1", orderID: "ord_1", buyerID: "buyer_1",
                    sellerID: "seller_1", amount: Aftercare_Common_V1_Money(1_000, "CNY"), channel: .alipay, reason: "damaged",
                    chargeReference: "ch_1", manualReference: "", status: .pending, failureReason: "", providerReference: "", sagaID: "",
                    sagaStep: "", traceID: "", createdAtMicros: now, updatedAtMicros: now, settledAtMicros: 0)
            }
            let owners = ["payments-1", "payments-2", "payments-10"]
            try await database.transaction { db in
                try PaymentsStore.insert(payment, in: db)
                for (refund, owner) in zip(refunds, owners) {
                    try PaymentsStore.insert(refund, in: db)
                    _ = try ProviderLeases(instance: owner, duration: .seconds(30), clock: clock).take(refund, in: db)
                }
            }
            // payments-1 died holding rfd_1 and starts again under its name.
            let released = try await database.transaction { db in try PaymentsStore.releaseLeases(ofInstance: "payments-1", in: db) }
            #expect(released == 1)
            let leases = try await database.snapshot { db in try refunds.map { try PaymentsStore.lease(.refund, id: $0.refundID, in: db)?.owner } }
            #expect(leases == ["", "payments-2#1", "payments-10#1"])
        }
    }

    // MARK: Harness

    struct Writer: Sendable {
        let database: ServiceDatabase
        let leases: ProviderLeases

        /// Takes the lease of refund intent `id`, as its provider call would; the holder's name.
        func take(_ id: String) async throws -> String? {
            try await self.database.write { db in
                let intent = try #require(try PaymentsStore.refund(id: id, in: db))
                return try self.leases.take(intent, in: db)
            }
        }
    }

    /// Two databases opened on one file (two connection pools, as two processes have) with a lease
    /// of 30 s each, instances `a` and `b`, on one test clock.
    static func withTwoWriters(_ body: @Sendable (Writer, Writer, ServiceClock) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("payments.sqlite")
        let clock = ServiceClock(testMode: true, fixedStart: Self.start)
        let first = try ServiceDatabase.open(path: path, migrations: Payments.migrations)
        let second = try ServiceDatabase.open(path: path, migrations: Payments.migrations)
        try await body(
            Writer(database: first, leases: ProviderLeases(instance: "a", duration: .seconds(30), clock: clock)),
            Writer(database: second, leases: ProviderLeases(instance: "b", duration: .seconds(30), clock: clock)), clock)
    }

    /// A captured payment and a pending refund intent of it; answers the refund's id.
    static func pendingRefund(in database: ServiceDatabase, clock: ServiceClock) async throws -> String {
        let now = clock.nowMicros
        let payment = PaymentRecord(
            paymentID: "pay_1", idempotencyKey: "pay-1", orderID: "ord_1", buyerID: "buyer_1", sellerID: "seller_1",
            amount: Aftercare_Common_V1_Money(10_000, "CNY"), channel: .alipay, status: .captured, providerReference: "ch_1", failureReason: "",
            createdAtMicros: now, updatedAtMicros: now)
        let refund = RefundRecord(
            refundID: "rfd_1", intentKey: "refund-1", paymentID: "pay_1", orderID: "ord_1", buyerID: "buyer_1", sellerID: "seller_1",
            amount: Aftercare_Common_V1_Money(1_000, "CNY"), channel: .alipay, reason: "damaged", chargeReference: "ch_1", manualReference: "",
            status: .pending, failureReason: "", providerReference: "", sagaID: "", sagaStep: "", traceID: "", createdAtMicros: now,
            updatedAtMicros: now, settledAtMicros: 0)
        try await database.write { db in
            try PaymentsStore.insert(payment, in: db)
            try PaymentsStore.insert(refund, in: db)
        }
        return refund.refundID
    }

    static func lease(_ refund: String, _ database: ServiceDatabase) async throws -> (owner: String, expiresAtMicros: Int64)? {
        try await database.read { db in try PaymentsStore.lease(.refund, id: refund, in: db) }
    }
}
