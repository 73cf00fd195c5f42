import AftercarePayments
import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import Foundation
import Logging

extension ServiceUnderTest {
    /// payments: `Refund` of 0.01 CNY from one large captured payment, each with its own key: the
    /// intent, the simulated provider's own durable ledger (a second SQLite file, synchronous=FULL)
    /// and the settlement, so three transactions per call.
    static let payments = ServiceUnderTest(
        name: "payments",
        call: "Refund",
        migrations: Payments.migrations,
        makeServices: { database, clock, feed, ledger in
            let providerLedger = try ProviderLedger.open(path: database.path + ".provider")
            let payments = Payments(
                database: database, feed: feed, steps: ledger.steps, clock: clock,
                providers: .simulated(ProviderSimulator(ledger: providerLedger, rules: SimulatorRules(), clock: clock)),
                logger: Logger(label: "aftercare-bench"))
            return [PaymentsService(payments: payments)]
        },
        prepare: { client in
            var pay = Aftercare_Payments_V1_PayRequest()
            pay.orderID = "ord_bench"
            pay.buyerID = "buyer_1"
            pay.sellerID = "seller_1"
            pay.amount = Aftercare_Common_V1_Money(1_000_000_000, "CNY")
            pay.channel = .alipay
            let payment = try await client.unary(PaymentsMethods.pay, pay, options: .init(idempotencyKey: "bench-pay"))
            guard payment.status == .paymentCaptured else { throw BenchmarkError("the bench payment was not captured: \(payment)") }
            return payment.paymentID
        },
        makeCall: { client, paymentID, index in
            var request = Aftercare_Payments_V1_RefundRequest()
            request.paymentID = paymentID
            request.amount = Aftercare_Common_V1_Money(1, "CNY")
            request.reason = "benchmark"
            _ = try await client.unary(PaymentsMethods.refund, request, options: .init(idempotencyKey: "refund-\(index)"))
        })
}
