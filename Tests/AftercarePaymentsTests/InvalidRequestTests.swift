import AftercarePayments
import AftercarePaymentsAPI
import AftercareRPC
import AftercareTesting
import AftercareServiceKit
import AftercareWire
import Testing

/// Every bad request is refused with its status, names the field or state, and changes nothing.
@Suite("invalid requests")
struct InvalidRequestTests {
    /// What each case runs against: a captured payment with one refund, and a failed payment.
    struct Fixture: Sendable {
        var captured: Aftercare_Payments_V1_Payment
        var failed: Aftercare_Payments_V1_Payment
    }

    typealias Case = InvalidRequest<RPCClient, Fixture>

    private static func refund(
        ofFailed: Bool = false, paymentID: String? = nil, amount: Int64 = 1_000, currency: String = "CNY", reason: String = "damaged",
        key: String? = "new-key"
    ) -> @Sendable (RPCClient, Fixture) async throws -> Void {
        { client, fixture in
            let id = paymentID ?? (ofFailed ? fixture.failed.paymentID : fixture.captured.paymentID)
            _ = try await client.refund(id, amount: amount, currency: currency, reason: reason, key: key)
        }
    }

    private static func pay(
        order: String = "ord_new", buyer: String = "buyer_1", amount: Int64 = 100, currency: String = "CNY",
        channel: Aftercare_Payments_V1_Channel = .card, key: String? = "pay-new"
    ) -> @Sendable (RPCClient, Fixture) async throws -> Void {
        { client, _ in
            var request = Aftercare_Payments_V1_PayRequest()
            request.orderID = order
            request.buyerID = buyer
            request.sellerID = "seller_1"
            request.amount = Aftercare_Common_V1_Money(amount, currency)
            request.channel = channel
            _ = try await client.unary(PaymentsMethods.pay, request, options: CallOptions(idempotencyKey: key))
        }
    }

    private static func manual(paymentID: Bool = true, orderID: String = "", reference: String = "bank-1") -> @Sendable (RPCClient, Fixture) async throws -> Void {
        { client, fixture in
            var request = Aftercare_Payments_V1_RecordManualPayoutRequest()
            if paymentID { request.paymentID = fixture.captured.paymentID }
            request.orderID = orderID
            request.amount = .init(100, "CNY")
            request.reference = reference
            request.reason = "paid by transfer"
            _ = try await client.unary(PaymentsMethods.recordManualPayout, request, options: CallOptions(idempotencyKey: "manual-new"))
        }
    }

    static let cases: [Case] = [
        Case(name: "refund of an unknown payment", code: .notFound, names: "payment_id", call: refund(paymentID: "pay_nope")),
        Case(name: "refund of zero", code: .invalidArgument, names: "amount.amount_minor", call: refund(amount: 0)),
        Case(name: "refund of a negative amount", code: .invalidArgument, names: "amount.amount_minor", call: refund(amount: -5)),
        Case(name: "refund in another currency", code: .invalidArgument, names: "amount.currency", call: refund(currency: "USD")),
        Case(name: "refund with a malformed currency", code: .invalidArgument, names: "amount.currency", call: refund(currency: "cny")),
        Case(name: "refund above what is refundable", code: .failedPrecondition, names: "refundable 80.00 CNY", call: refund(amount: 8_001)),
        Case(name: "refund of a failed payment", code: .failedPrecondition, names: "is failed", call: refund(ofFailed: true)),
        Case(name: "refund without a reason", code: .invalidArgument, names: "reason", call: refund(reason: "")),
        Case(name: "refund with an oversized reason", code: .invalidArgument, names: "reason", call: refund(reason: String(repeating: "x", count: 257))),
        Case(name: "refund without a key", code: .invalidArgument, names: "idempotency_key", call: refund(key: nil)),
        Case(name: "refund reusing a key with other arguments", code: .invalidArgument, names: "idempotency_key", call: refund(amount: 1_999, key: "used")),
        Case(name: "pay without a key", code: .invalidArgument, names: "idempotency_key", call: pay(key: nil)),
        Case(name: "pay of zero", code: .invalidArgument, names: "amount.amount_minor", call: pay(amount: 0)),
        Case(name: "pay without an order", code: .invalidArgument, names: "order_id", call: pay(order: "")),
        Case(name: "pay with an oversized buyer id", code: .invalidArgument, names: "buyer_id", call: pay(buyer: String(repeating: "b", count: 300))),
        Case(name: "pay without a channel", code: .invalidArgument, names: "channel", call: pay(channel: .unspecified)),
        Case(name: "pay through the manual channel", code: .invalidArgument, names: "channel", call: pay(channel: .manual)),
        Case(name: "pay of an order already paid", code: .failedPrecondition, names: "order_id", call: pay(order: "ord_paid")),
        Case(name: "pay reusing a key with other arguments", code: .invalidArgument, names: "idempotency_key", call: pay(key: "pay-ord_paid")),
        Case(name: "manual payout naming payment and order", code: .invalidArgument, names: "order_id", call: manual(orderID: "ord_paid")),
        Case(name: "manual payout naming neither", code: .invalidArgument, names: "payment_id", call: manual(paymentID: false)),
        Case(name: "manual payout of an order without a captured payment", code: .notFound, names: "order_id",
             call: manual(paymentID: false, orderID: "ord_failed")),
        Case(name: "manual payout without a reference", code: .invalidArgument, names: "reference", call: manual(reference: "")),
        Case(name: "get an unknown payment", code: .notFound, names: "payment_id", call: { client, _ in
            var request = Aftercare_Payments_V1_GetPaymentRequest()
            request.paymentID = "pay_nope"
            _ = try await client.unary(PaymentsMethods.getPayment, request)
        }),
        Case(name: "get an unknown refund", code: .notFound, names: "refund_id", call: { client, _ in _ = try await client.getRefund("rfd_nope") }),
        Case(name: "list payments without an order", code: .invalidArgument, names: "order_id", call: { client, _ in
            _ = try await client.unary(PaymentsMethods.listPayments, .init())
        }),
        Case(name: "list refunds of an unknown payment", code: .notFound, names: "payment_id", call: { client, _ in
            var request = Aftercare_Payments_V1_ListRefundsRequest()
            request.paymentID = "pay_nope"
            _ = try await client.unary(PaymentsMethods.listRefunds, request)
        }),
    ]

    @Test(arguments: Self.cases)
    func refused(_ bad: Case) async throws {
        var rules = SimulatorRules()
        rules.declineAmountsEndingIn = "99"
        try await PaymentsHarness.run(rules: rules) { harness in
            let captured = try await harness.pay(order: "ord_paid", amount: 10_000)
            _ = try await harness.refund(captured.paymentID, amount: 2_000, key: "used")
            let failed = try await harness.pay(order: "ord_failed", amount: 10_099)
            #expect(failed.status == .paymentFailed)
            let fixture = Fixture(captured: captured, failed: failed)
            let problems = try await bad.problems(harness.client, fixture) { try await harness.dump() }
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}
