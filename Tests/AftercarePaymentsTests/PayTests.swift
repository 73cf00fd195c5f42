import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import GRDB
import Testing

@testable import AftercarePayments

@Suite("Pay")
struct PayTests {
    @Test("a charge is captured once, with its event; the same key answers the same payment without charging again")
    func captured() async throws {
        try await PaymentsHarness.run { harness in
            let payment = try await harness.pay(channel: .wechatPay, key: "checkout-1")
            #expect(payment.status == .paymentCaptured)
            #expect(payment.channel == .wechatPay)
            #expect(payment.paymentID.hasPrefix("pay_"))
            #expect(!payment.providerReference.isEmpty)
            let again = try await harness.pay(channel: .wechatPay, key: "checkout-1")
            #expect(again == payment)
            let charges = try await harness.ledger.operations()
            #expect(charges.map(\.key) == ["charge/checkout-1"])
            #expect(charges.first?.requests == 1)
            let events = try await harness.events()
            #expect(events.map(\.type) == ["payments.payment.pending", "payments.payment.captured"])
            #expect(events.allSatisfy { $0.subjects.paymentID == payment.paymentID })
            #expect(events.allSatisfy { $0.buyerID == "buyer_1" && $0.sellerID == "seller_1" })
        }
    }

    @Test("a decline makes the payment failed with the provider's reason; the order may then be paid again")
    func declined() async throws {
        var rules = SimulatorRules()
        rules.declineAmountsEndingIn = "99"
        try await PaymentsHarness.run(rules: rules) { harness in
            let failed = try await harness.pay(amount: 10_099, key: "checkout-1")
            #expect(failed.status == .paymentFailed)
            #expect(failed.failureReason.contains("99"))
            try harness.clock.advance(byMicros: 1_000)
            let paid = try await harness.pay(amount: 10_000, key: "checkout-2")
            #expect(paid.status == .paymentCaptured)
            var request = Aftercare_Payments_V1_ListPaymentsRequest()
            request.orderID = "ord_1"
            let listed = try await harness.client.unary(PaymentsMethods.listPayments, request)
            #expect(listed.payments.map(\.paymentID) == [failed.paymentID, paid.paymentID])
            #expect(try await harness.events().map(\.type) == [
                "payments.payment.pending", "payments.payment.failed", "payments.payment.pending", "payments.payment.captured",
            ])
        }
    }

    @Test("a lost charge answer leaves the payment pending; the retry asks the provider and captures it without charging twice")
    func chargeTimeout() async throws {
        var rules = SimulatorRules()
        rules.timeoutFirstCharges = 1
        try await PaymentsHarness.run(rules: rules) { harness in
            let pending = try await harness.pay(key: "checkout-1")
            #expect(pending.status == .paymentPending)
            let captured = try await harness.pay(key: "checkout-1")
            #expect(captured.status == .paymentCaptured)
            #expect(captured.paymentID == pending.paymentID)
            #expect(try await harness.ledger.operations().map(\.requests) == [1])
            #expect(try await harness.events().map(\.type) == ["payments.payment.pending", "payments.payment.captured"])
        }
    }

    @Test("a pending charge is settled by the reconciliation pass, by its key")
    func chargeReconciled() async throws {
        var rules = SimulatorRules()
        rules.timeoutFirstCharges = 1
        try await PaymentsHarness.run(rules: rules) { harness in
            let pending = try await harness.pay(key: "checkout-1")
            #expect(pending.status == .paymentPending)
            let report = try await harness.client.unary(PaymentsMethods.reconcileRefunds, .init())
            #expect(report.paymentsExamined == 1)
            #expect(report.paymentsSettled == 1)
            var request = Aftercare_Payments_V1_GetPaymentRequest()
            request.paymentID = pending.paymentID
            #expect(try await harness.client.unary(PaymentsMethods.getPayment, request).status == .paymentCaptured)
            #expect(try await harness.events().map(\.type) == ["payments.payment.pending", "payments.payment.captured"])
        }
    }

    @Test("the schema itself holds at most one live payment per order, so two Pay transactions at once (PostgreSQL) cannot both charge")
    func oneLivePaymentPerOrderInTheSchema() async throws {
        let database = try ServiceDatabase.inMemory(migrations: Payments.migrations)
        @Sendable func record(_ id: String, _ status: PaymentStatus) -> PaymentRecord {
            PaymentRecord(
                paymentID: id, idempotencyKey: "key-\(id)", orderID: "ord_1", buyerID: "buyer_1", sellerID: "seller_1",
                amount: .init(10_000, "CNY"), channel: .card, status: status, providerReference: "", failureReason: "", createdAtMicros: 1,
                updatedAtMicros: 1)
        }
        try await database.write { db in
            try PaymentsStore.insert(record("pay_1", .failed), in: db)
            try PaymentsStore.insert(record("pay_2", .pending), in: db)
            try PaymentsStore.insert(record("pay_3", .failed), in: db)
        }
        await #expect(throws: DatabaseError.self) {
            try await database.write { db in try PaymentsStore.insert(record("pay_4", .pending), in: db) }
        }
        let settled = try await database.write { db in
            try PaymentsStore.settle(paymentID: "pay_2", status: .captured, providerReference: "ch_1", failureReason: "", atMicros: 2, in: db)
        }
        #expect(settled)
        await #expect(throws: DatabaseError.self) {
            try await database.write { db in try PaymentsStore.insert(record("pay_5", .pending), in: db) }
        }
    }
}
