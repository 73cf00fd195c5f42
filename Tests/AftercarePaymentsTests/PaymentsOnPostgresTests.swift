import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Foundation
import Logging
import Testing

@testable import AftercarePayments

/// Payments itself on PostgreSQL: its handlers, the step ledger and the feed over a
/// ``PostgresServiceDatabase`` of its own (the simulated providers' ledger a file, as on SQLite),
/// served in process — the same calls as on SQLite, and concurrent calls held by the payment's row
/// lock and the keys' constraints.
@Suite("Payments service on PostgreSQL")
struct PaymentsOnPostgresTests {
    /// Serves payments (with the feed and step methods) over a fresh PostgreSQL database and runs
    /// `body` with a client of it and the providers' ledger.
    static func withService<T: Sendable>(
        rules: SimulatorRules = .init(), _ body: @Sendable (RPCClient, ProviderLedger) async throws -> T
    ) async throws -> T {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let ledger = try ProviderLedger.open(path: directory.appending("provider.sqlite"))
        return try await TestSQLDriver.postgres.withDatabase(migrations: .payments) { database in
            let clock = ServiceClock(testMode: true, fixedStart: Date(timeIntervalSince1970: 1_790_000_000))
            let feed = EventFeed(source: "payments", database: database, clock: clock)
            let steps = StepLedger(database: database, clock: clock)
            let payments = Payments(
                database: database, feed: feed, steps: steps, clock: clock,
                providers: .simulated(ProviderSimulator(ledger: ledger, rules: rules, clock: clock)), logger: Logger.test("payments"))
            return try await TestSystem.run(
                on: .inProcess, services: [PaymentsService(payments: payments), FeedService(feed: feed), StepService(ledger: steps)],
                configuration: .init(name: "aftercare-payments"), serverName: "payments"
            ) { system in try await body(system.client, ledger) }
        }
    }

    static func results<T: Sendable>(_ first: @escaping @Sendable () async throws -> T, _ second: @escaping @Sendable () async throws -> T) async
        -> [Result<T, any Error>]
    {
        async let one = Self.result(first)
        async let two = Self.result(second)
        return await [one, two]
    }

    static func result<T: Sendable>(_ body: @Sendable () async throws -> T) async -> Result<T, any Error> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }

    @Test("a charge captured once under its key, refunds paid within what was captured, the totals and a reconciliation pass")
    func chargeAndRefunds() async throws {
        try await Self.withService { client, ledger in
            let payment = try await client.pay(order: "ord_1", amount: 10_000, key: "pay-1")
            #expect(payment.status == .paymentCaptured)
            #expect(try await client.pay(order: "ord_1", amount: 10_000, key: "pay-1") == payment)
            let refund = try await client.refund(payment.paymentID, amount: 3_000, key: "refund-1")
            #expect(refund.status == .refundSucceeded)
            let saga = try await client.refund(payment.paymentID, amount: 2_000, key: nil, saga: SagaContext(sagaID: "sg_1", step: "refund", direction: .forward))
            #expect(saga.status == .refundSucceeded)
            await #expect(throws: RPCError.self) { try await client.refund(payment.paymentID, amount: 5_001, key: "refund-2") }
            var list = Aftercare_Payments_V1_ListRefundsRequest()
            list.paymentID = payment.paymentID
            let refunds = try await client.unary(PaymentsMethods.listRefunds, list)
            #expect(refunds.refunds.count == 2)
            #expect(refunds.totals.refunded == Aftercare_Common_V1_Money(5_000, "CNY") && refunds.totals.refundable == Aftercare_Common_V1_Money(5_000, "CNY"))
            let pass = try await client.unary(PaymentsMethods.reconcileRefunds, Aftercare_Payments_V1_ReconcileRefundsRequest())
            #expect(pass.refundsExamined == 0 && pass.paymentsExamined == 0)
            #expect(try await ledger.operations().count == 3)
        }
    }

    @Test("a refund whose caller gives up while the provider is at it is settled all the same and its lease let go: the retry under its key is answered within seconds, not the lease's 30 s, paid once")
    func callerGivesUp() async throws {
        var rules = SimulatorRules()
        rules.latency = .milliseconds(600)
        try await Self.withService(rules: rules) { client, ledger in
            try await ProviderLeaseTests.refundAfterTheCallerGaveUp(client, ledger)
        }
    }

    @Test("two refunds of one payment at once, each above half of it: one is paid, the other is refused")
    func concurrentRefunds() async throws {
        try await Self.withService { client, ledger in
            let payment = try await client.pay(order: "ord_1", amount: 10_000, key: "pay-1")
            let results = await Self.results(
                { try await client.refund(payment.paymentID, amount: 6_000, key: "refund-1") },
                { try await client.refund(payment.paymentID, amount: 6_000, key: "refund-2") })
            #expect(results.compactMap { try? $0.get() }.map(\.status) == [.refundSucceeded])
            let refusals = results.compactMap { result -> RPCError.Code? in
                guard case .failure(let error) = result else { return nil }
                return (error as? RPCError)?.code
            }
            #expect(refusals == [.failedPrecondition])
            #expect(try await ledger.refunds(of: payment.providerReference).count == 1)
        }
    }

    /// Each of `results` is an answer, or UNAVAILABLE "in progress; retry with the same key" (the
    /// other call held the record's provider lease): never a refusal nor a storage error.
    static func answeredOrToldToRetry<T>(_ results: [Result<T, any Error>]) -> Bool {
        results.allSatisfy { result in
            guard case .failure(let error) = result else { return true }
            return (error as? RPCError)?.code == .unavailable
        }
    }

    @Test("two Pay calls under one key at once: one payment, charged once; the second call answered with it or told to retry")
    func concurrentCharges() async throws {
        try await Self.withService { client, ledger in
            let results = await Self.results(
                { try await client.pay(order: "ord_1", amount: 10_000, key: "pay-1") }, { try await client.pay(order: "ord_1", amount: 10_000, key: "pay-1") })
            let answered = Set(results.compactMap { try? $0.get().paymentID })
            #expect(answered.count == 1)
            #expect(Self.answeredOrToldToRetry(results), "\(results)")
            var list = Aftercare_Payments_V1_ListPaymentsRequest()
            list.orderID = "ord_1"
            let payments = try await client.unary(PaymentsMethods.listPayments, list).payments
            let charges = try await ledger.operations().filter { $0.kind == .charge }
            #expect(payments.count == 1)
            #expect(charges.count == 1)
        }
    }

    @Test("the Refund call of a saga step delivered twice at once: one refund, paid once; the second call answered with it or told to retry, never refused as over the limit")
    func duplicatedRefundStep() async throws {
        try await Self.withService { client, ledger in
            let payment = try await client.pay(order: "ord_1", amount: 4_200, key: "pay-1")
            let step = SagaContext(sagaID: "sg_dup", step: "refund", direction: .forward)
            let results = await Self.results(
                { try await client.refund(payment.paymentID, amount: 4_200, key: nil, saga: step) },
                { try await client.refund(payment.paymentID, amount: 4_200, key: nil, saga: step) })
            #expect(Set(results.compactMap { try? $0.get().refundID }).count == 1, "\(results)")
            #expect(Self.answeredOrToldToRetry(results), "\(results)")
            // Asked again once both ended: the one refund, succeeded.
            let again = try await client.refund(payment.paymentID, amount: 4_200, key: nil, saga: step)
            #expect(again.status == .refundSucceeded)
            #expect(try await ledger.refunds(of: payment.providerReference).count == 1)
        }
    }

    @Test("a saga's Refund call and its compensation at once, many times: never both a refund paid and its compensation answered with nothing to undo")
    func forwardAndCompensationAtOnce() async throws {
        try await Self.withService { client, ledger in
            for round in 0..<20 {
                let payment = try await client.pay(order: "ord_\(round)", amount: 1_000, key: "pay-\(round)")
                let forward = SagaContext(sagaID: "sg_race_\(round)", step: "refund", direction: .forward)
                let compensate = SagaContext(sagaID: forward.sagaID, step: forward.step, direction: .compensate)
                let results = await Self.results(
                    { try await client.refund(payment.paymentID, amount: 1_000, key: nil, saga: forward) },
                    { try await client.refund(payment.paymentID, amount: 1_000, key: nil, saga: compensate) })
                let paid = try await ledger.refunds(of: payment.providerReference).count
                // The compensation answers "nothing to undo" (an empty refund) only when the forward never ran.
                let nothingToUndo = (try? results[1].get())?.refundID.isEmpty == true
                #expect(!(nothingToUndo && paid > 0), "round \(round): \(results)")
            }
        }
    }
}
