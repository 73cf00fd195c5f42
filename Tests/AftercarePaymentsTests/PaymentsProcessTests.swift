import AftercarePayments
import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Testing

/// The real `aftercare-payments` executable over its Unix socket with mutual TLS, its simulated
/// providers' ledger read from its own file.
@Suite("aftercare-payments executable", .serialized)
struct PaymentsProcessTests {
    private static func start(_ directory: TemporaryDirectory, _ flags: [String: String] = [:]) async throws -> ServiceProcess {
        let defaults = ["--payments-reconcile-interval-ms": "60000"]
        let arguments = defaults.merging(flags) { _, new in new }.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
        return try await ServiceProcess.start("payments", in: directory, arguments: arguments)
    }

    private static func ledger(_ directory: TemporaryDirectory) throws -> ProviderLedger {
        try ProviderLedger.open(path: directory.appending("payments-provider.sqlite"))
    }

    @Test("pay, then a partial refund sent twice with the same key: one payout")
    func refundTwiceOnePayout() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let service = try await Self.start(directory)
        let (payment, first, second) = try await service.withClient { client in
            let health = try await client.unary(BuiltinMethods.health, .init())
            #expect(health.checks.map(\.name) == ["database", "provider-ledger"])
            #expect(health.checks.allSatisfy { $0.ok })
            let payment = try await client.pay(order: "ord_1", amount: 10_000, key: "checkout-1")
            let first = try await client.refund(payment.paymentID, amount: 3_000, key: "case-1/refund")
            let second = try await client.refund(payment.paymentID, amount: 3_000, key: "case-1/refund")
            return (payment, first, second)
        }
        #expect(first.status == .refundSucceeded)
        #expect(second == first)
        let paidBack = try await Self.ledger(directory).refunds(of: payment.providerReference)
        #expect(paidBack.map(\.amount.amountMinor) == [3_000])
        #expect(paidBack.map(\.requests) == [1])
        #expect(try await service.stop() == 0)
    }

    @Test("50 concurrent refunds of one payment never exceed the capture, and the provider's ledger agrees")
    func fiftyConcurrentRefunds() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let service = try await Self.start(directory)
        let (payment, succeeded, totals) = try await service.withClient { client in
            let payment = try await client.pay(order: "ord_1", amount: 10_000, key: "checkout-1")
            let succeeded = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        do {
                            let refund = try await client.refund(payment.paymentID, amount: 300, key: "concurrent-\(index)")
                            return refund.status == .refundSucceeded ? 1 : 0
                        } catch let error as RPCError where error.code == .failedPrecondition {
                            return 0
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            var request = Aftercare_Payments_V1_ListRefundsRequest()
            request.paymentID = payment.paymentID
            return (payment, succeeded, try await client.unary(PaymentsMethods.listRefunds, request).totals)
        }
        #expect(succeeded == 33)
        #expect(totals.refunded.amountMinor + totals.pending.amountMinor <= 10_000)
        #expect(totals.refunded.amountMinor == 9_900)
        let paidBack = try await Self.ledger(directory).refunds(of: payment.providerReference)
        #expect(paidBack.count == 33)
        #expect(paidBack.map(\.amount.amountMinor).reduce(0, +) == totals.refunded.amountMinor)
        #expect(paidBack.allSatisfy { $0.requests == 1 })
        try await service.stop()
    }

    @Test("a provider time-out is left pending, then settled by the retry and by the background pass: one payout each")
    func timeoutSettledByReconciliation() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let service = try await Self.start(
            directory, ["--payments-simulator-timeout-first-refunds": "2", "--payments-reconcile-interval-ms": "200"])
        let (payment, retried, background) = try await service.withClient { client in
            let payment = try await client.pay(order: "ord_1", amount: 10_000, key: "checkout-1")
            let pending = try await client.refund(payment.paymentID, amount: 1_000, key: "retried")
            #expect(pending.status == .refundPending)
            // The background pass may be settling the same key at that moment: payments then answer
            // UNAVAILABLE, not executed — retry with the same key, as the answer says.
            var retried = pending
            for attempt in 1...50 {
                do {
                    retried = try await client.refund(payment.paymentID, amount: 1_000, key: "retried")
                    break
                } catch let error as RPCError where error.code == .unavailable && error.outcome == .notExecuted && attempt < 50 {
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            let background = try await client.refund(payment.paymentID, amount: 2_000, key: "left-to-the-pass")
            #expect(background.status == .refundPending)
            try await eventually("the background pass settled \(background.refundID)") {
                try await client.getRefund(background.refundID).status == .refundSucceeded
            }
            return (payment, retried, background)
        }
        #expect(retried.status == .refundSucceeded)
        let paidBack = try await Self.ledger(directory).refunds(of: payment.providerReference)
        #expect(paidBack.map(\.key).sorted() == ["left-to-the-pass", "retried"])
        #expect(paidBack.allSatisfy { $0.requests == 1 })
        #expect(background.intentKey == "left-to-the-pass")
        try await service.stop()
    }

    @Test("SIGKILL and restart: the data is intact, the pending intent is settled after the restart, the provider's ledger too")
    func killAndRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await Self.start(directory, ["--payments-simulator-timeout-first-refunds": "1"])
        let (payment, pending, done) = try await first.withClient { client in
            let payment = try await client.pay(order: "ord_1", amount: 10_000, key: "checkout-1")
            let pending = try await client.refund(payment.paymentID, amount: 4_000, key: "lost-answer")
            let done = try await client.refund(payment.paymentID, amount: 1_000, key: "answered")
            return (payment, pending, done)
        }
        #expect(pending.status == .refundPending)
        #expect(done.status == .refundSucceeded)
        first.kill()
        let paidBeforeRestart = try await Self.ledger(directory).refunds(of: payment.providerReference)
        #expect(paidBeforeRestart.map(\.key).sorted() == ["answered", "lost-answer"])

        let second = try await Self.start(directory)
        try await second.withClient { client in
            try await eventually("the start-up pass settled \(pending.refundID)") {
                try await client.getRefund(pending.refundID).status == .refundSucceeded
            }
            var get = Aftercare_Payments_V1_GetPaymentRequest()
            get.paymentID = payment.paymentID
            #expect(try await client.unary(PaymentsMethods.getPayment, get) == payment)
            #expect(try await client.getRefund(done.refundID) == done)
            var list = Aftercare_Payments_V1_ListRefundsRequest()
            list.paymentID = payment.paymentID
            let totals = try await client.unary(PaymentsMethods.listRefunds, list).totals
            #expect(totals.refunded.amountMinor == 5_000)
            #expect(totals.pending.amountMinor == 0)
            let events = try await client.unary(FeedMethods.readEvents, .init()).events.map(\.type)
            #expect(events == [
                "payments.payment.pending", "payments.payment.captured", "payments.refund.pending", "payments.refund.pending",
                "payments.refund.succeeded", "payments.refund.succeeded",
            ])
        }
        let paidAfterRestart = try await Self.ledger(directory).refunds(of: payment.providerReference)
        #expect(paidAfterRestart.map(\.key).sorted() == ["answered", "lost-answer"])
        #expect(paidAfterRestart.allSatisfy { $0.requests == 1 })
        try await second.stop()
    }
}
