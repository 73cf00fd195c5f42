import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import Testing

@testable import AftercarePayments

@Suite("Refund")
struct RefundTests {
    @Test("partial and repeated refunds up to the captured amount; one more is refused naming the figures")
    func partialAndRepeated() async throws {
        try await PaymentsHarness.run { harness in
            let payment = try await harness.pay(amount: 10_000)
            for (index, amount) in [3_000, 5_000, 2_000].enumerated() {
                let refund = try await harness.refund(payment.paymentID, amount: Int64(amount), key: "r\(index)")
                #expect(refund.status == .refundSucceeded)
                #expect(refund.intentKey == "r\(index)")
            }
            let error = await #expect(throws: RPCError.self) { try await harness.refund(payment.paymentID, amount: 1, key: "r3") }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message.contains("captured 100.00 CNY − refunded 100.00 CNY − pending 0.00 CNY = refundable 0.00 CNY") == true)
            let listed = try await harness.listRefunds(payment.paymentID)
            #expect(listed.refunds.count == 3)
            #expect(listed.totals.refunded.amountMinor == 10_000)
            #expect(listed.totals.refundable.amountMinor == 0)
            let paidBack = try await harness.ledger.refunds(of: payment.providerReference)
            #expect(paidBack.map(\.amount.amountMinor).reduce(0, +) == 10_000)
        }
    }

    @Test("the same key twice pays once and answers the same refund; other arguments under it are refused")
    func sameKeyTwice() async throws {
        try await PaymentsHarness.run { harness in
            let payment = try await harness.pay()
            let first = try await harness.refund(payment.paymentID, amount: 2_500, key: "case-7/refund")
            let second = try await harness.refund(payment.paymentID, amount: 2_500, key: "case-7/refund")
            #expect(first == second)
            let error = await #expect(throws: RPCError.self) { try await harness.refund(payment.paymentID, amount: 2_600, key: "case-7/refund") }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("idempotency_key:") == true)
            let paidBack = try await harness.ledger.refunds(of: payment.providerReference)
            #expect(paidBack.count == 1)
            #expect(paidBack.first?.requests == 1)
            #expect(try await harness.events().map(\.type) == [
                "payments.payment.pending", "payments.payment.captured", "payments.refund.pending", "payments.refund.succeeded",
            ])
        }
    }

    @Test("a decline is a refusal; the refund stays failed with the reason, frees its amount, and a repeat gets the same refusal")
    func declined() async throws {
        var rules = SimulatorRules()
        rules.declineAmountsEndingIn = "77"
        try await PaymentsHarness.run(rules: rules) { harness in
            let payment = try await harness.pay(amount: 10_000)
            for _ in 0..<2 {
                let error = await #expect(throws: RPCError.self) { try await harness.refund(payment.paymentID, amount: 1_077, key: "k") }
                #expect(error?.code == .failedPrecondition)
                #expect(error?.message.contains("declined") == true)
            }
            let listed = try await harness.listRefunds(payment.paymentID)
            #expect(listed.refunds.map(\.status) == [.refundFailed])
            #expect(listed.refunds.first?.failureReason.contains("77") == true)
            #expect(listed.totals.refundable.amountMinor == 10_000)
            #expect(try await harness.ledger.refunds(of: payment.providerReference).map(\.requests) == [1])
            #expect(try await harness.events().map(\.type).suffix(2) == ["payments.refund.pending", "payments.refund.failed"])
        }
    }

    @Test("the first refund of a charge declined by the first-refund rule; a refund of it under a new key is paid, once")
    func firstRefundDeclinedThenPaid() async throws {
        var rules = SimulatorRules()
        rules.declineFirstRefundEndingIn = "98"
        try await PaymentsHarness.run(rules: rules) { harness in
            let payment = try await harness.pay(amount: 10_000)
            let error = await #expect(throws: RPCError.self) { try await harness.refund(payment.paymentID, amount: 1_098, key: "first") }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message.contains("merchant balance") == true)
            // The same key again: the stored decline, not a second try.
            await #expect(throws: RPCError.self) { try await harness.refund(payment.paymentID, amount: 1_098, key: "first") }
            let retried = try await harness.refund(payment.paymentID, amount: 1_098, key: "retry")
            #expect(retried.status == .refundSucceeded)
            let listed = try await harness.listRefunds(payment.paymentID)
            // Both within one millisecond: their order in the listing is not fixed.
            let statuses: Set<Aftercare_Payments_V1_RefundStatus> = Set(listed.refunds.map(\.status))
            #expect(listed.refunds.count == 2)
            #expect(statuses == [.refundFailed, .refundSucceeded])
            #expect(listed.totals.refunded.amountMinor == 1_098)
            #expect(try await harness.ledger.refunds(of: payment.providerReference).map(\.amount.amountMinor) == [1_098, 1_098])
        }
    }

    @Test("a lost answer leaves the intent pending (counted); the retry asks the provider by key and settles it: one payout")
    func timeoutThenRetry() async throws {
        var rules = SimulatorRules()
        rules.timeoutFirstRefunds = 1
        try await PaymentsHarness.run(rules: rules) { harness in
            let payment = try await harness.pay(amount: 10_000)
            let pending = try await harness.refund(payment.paymentID, amount: 4_000, key: "k")
            #expect(pending.status == .refundPending)
            let totals = try await harness.listRefunds(payment.paymentID).totals
            #expect(totals.pending.amountMinor == 4_000)
            #expect(totals.refundable.amountMinor == 6_000)
            let refused = await #expect(throws: RPCError.self) { try await harness.refund(payment.paymentID, amount: 6_001, key: "k2") }
            #expect(refused?.code == .failedPrecondition)
            let settled = try await harness.refund(payment.paymentID, amount: 4_000, key: "k")
            #expect(settled.status == .refundSucceeded)
            #expect(settled.refundID == pending.refundID)
            let paidBack = try await harness.ledger.refunds(of: payment.providerReference)
            #expect(paidBack.map(\.requests) == [1])
            #expect(paidBack.map(\.key) == ["k"])
        }
    }

    @Test("a request lost before the provider acted: the retry finds no record of the key and sends it again, once")
    func lostRequestThenRetry() async throws {
        var rules = SimulatorRules()
        rules.loseFirstRefunds = 1
        try await PaymentsHarness.run(rules: rules) { harness in
            let payment = try await harness.pay(amount: 10_000)
            #expect(try await harness.refund(payment.paymentID, amount: 4_000, key: "k").status == .refundPending)
            #expect(try await harness.ledger.refunds(of: payment.providerReference).isEmpty)
            #expect(try await harness.refund(payment.paymentID, amount: 4_000, key: "k").status == .refundSucceeded)
            #expect(try await harness.ledger.refunds(of: payment.providerReference).map(\.requests) == [1])
        }
    }

    @Test("the reconciliation pass settles pending intents by key, on demand and in the background")
    func reconciliation() async throws {
        var rules = SimulatorRules()
        rules.timeoutFirstRefunds = 2
        try await PaymentsHarness.run(rules: rules) { harness in
            let payment = try await harness.pay(amount: 10_000)
            let first = try await harness.refund(payment.paymentID, amount: 1_000, key: "a")
            let second = try await harness.refund(payment.paymentID, amount: 2_000, key: "b")
            #expect([first.status, second.status] == [.refundPending, .refundPending])
            let report = try await harness.client.unary(PaymentsMethods.reconcileRefunds, .init())
            #expect(report.refundsExamined == 2)
            #expect(report.refundsSucceeded == 2)
            #expect(try await harness.client.getRefund(first.refundID).status == .refundSucceeded)
            let third = try await harness.refund(payment.paymentID, amount: 3_000, key: "c")
            #expect(third.status == .refundSucceeded)
            #expect(try await harness.ledger.refunds(of: payment.providerReference).map(\.requests) == [1, 1, 1])
        }
        rules.timeoutFirstRefunds = 1
        try await PaymentsHarness.run(rules: rules) { harness in
            let payment = try await harness.pay(amount: 10_000)
            let pending = try await harness.refund(payment.paymentID, amount: 1_000, key: "a")
            #expect(pending.status == .refundPending)
            let reconciler = RefundReconciler(payments: harness.payments, interval: .milliseconds(20))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await reconciler.run() }
                try await eventually("the background pass settled the refund") {
                    try await harness.client.getRefund(pending.refundID).status == .refundSucceeded
                }
                group.cancelAll()
            }
            #expect(try await harness.ledger.refunds(of: payment.providerReference).map(\.requests) == [1])
        }
    }

    @Test("with half the answers lost (seeded), every refund settles by retrying its key, and each key is paid exactly once")
    func seededLostAnswers() async throws {
        var rules = SimulatorRules()
        rules.timeoutRate = 0.5
        rules.seed = 2_026
        try await PaymentsHarness.run(rules: rules) { harness in
            let payment = try await harness.pay(amount: 100_000, key: "checkout")
            var pendingAnswers = 0
            for index in 0..<20 {
                var refund = try await harness.refund(payment.paymentID, amount: 1_000, key: "k\(index)")
                while refund.status == .refundPending {
                    pendingAnswers += 1
                    refund = try await harness.refund(payment.paymentID, amount: 1_000, key: "k\(index)")
                }
                #expect(refund.status == .refundSucceeded)
            }
            #expect(pendingAnswers > 0)
            let paidBack = try await harness.ledger.refunds(of: payment.providerReference)
            #expect(paidBack.count == 20)
            #expect(paidBack.allSatisfy { $0.requests == 1 })
            #expect(try await harness.listRefunds(payment.paymentID).totals.refunded.amountMinor == 20_000)
        }
    }

    @Test("a manual payout, by order, is a refund through the manual channel that counts toward the limit")
    func manualPayout() async throws {
        try await PaymentsHarness.run { harness in
            let payment = try await harness.pay(amount: 10_000)
            var request = Aftercare_Payments_V1_RecordManualPayoutRequest()
            request.orderID = payment.orderID
            request.amount = .init(9_000, "CNY")
            request.reference = "bank-transfer-991"
            request.reason = "refund failed at the provider; paid by transfer"
            let payout = try await harness.client.unary(PaymentsMethods.recordManualPayout, request, options: .init(idempotencyKey: "m1"))
            #expect(payout.status == .refundSucceeded)
            #expect(payout.channel == .manual)
            #expect(payout.providerReference == "bank-transfer-991")
            #expect(payout.paymentID == payment.paymentID)
            let error = await #expect(throws: RPCError.self) { try await harness.refund(payment.paymentID, amount: 1_001, key: "r") }
            #expect(error?.code == .failedPrecondition)
            #expect(try await harness.ledger.refunds(of: payment.providerReference).isEmpty)
        }
    }

    @Test("30 concurrent refunds of one payment never exceed the capture")
    func concurrent() async throws {
        try await PaymentsHarness.run { harness in
            let payment = try await harness.pay(amount: 10_000)
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        do {
                            return try await harness.refund(payment.paymentID, amount: 700, key: "c\(index)").status == .refundSucceeded
                        } catch let error as RPCError where error.code == .failedPrecondition {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 14)
            let totals = try await harness.listRefunds(payment.paymentID).totals
            #expect(totals.refunded.amountMinor == 9_800)
            #expect(try await harness.ledger.refunds(of: payment.providerReference).count == 14)
        }
    }
}
