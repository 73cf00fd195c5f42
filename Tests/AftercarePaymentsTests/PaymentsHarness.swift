import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Foundation
import GRDB
import Logging
import Testing

@testable import AftercarePayments

/// An in-process payments service: in-memory database, simulated providers whose ledger is a file
/// in a temporary directory, and a client connected as the gateway.
struct PaymentsHarness: Sendable {
    let payments: Payments
    let clock: ServiceClock
    let database: ServiceDatabase
    let ledger: ProviderLedger
    let client: RPCClient

    /// Starts the service with `rules` and runs `body`.
    static func run<Result: Sendable>(
        rules: SimulatorRules = .init(), _ body: @Sendable (PaymentsHarness) async throws -> Result
    ) async throws -> Result {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let service = try InMemoryService("payments", migrations: Payments.migrations, start: Date(timeIntervalSince1970: 1_790_000_000))
        let (database, clock) = (service.database, service.clock)
        let ledger = try ProviderLedger.open(path: directory.appending("provider.sqlite"))
        let payments = Payments(
            database: database, feed: service.feed, steps: service.ledger.steps, clock: clock,
            providers: .simulated(ProviderSimulator(ledger: ledger, rules: rules, clock: clock)), logger: Logger.test("payments"))
        return try await service.serve([PaymentsService(payments: payments)]) { client in
            try await body(PaymentsHarness(payments: payments, clock: clock, database: database, ledger: ledger, client: client))
        }
    }

    // MARK: Calls

    func pay(
        order: String = "ord_1", amount: Int64 = 10_000, currency: String = "CNY", channel: Aftercare_Payments_V1_Channel = .alipay,
        key: String? = nil
    ) async throws -> Aftercare_Payments_V1_Payment {
        try await self.client.pay(order: order, amount: amount, currency: currency, channel: channel, key: key ?? "pay-\(order)")
    }

    func refund(
        _ paymentID: String, amount: Int64, currency: String = "CNY", reason: String = "damaged item", key: String? = nil,
        saga: SagaContext? = nil
    ) async throws -> Aftercare_Payments_V1_Refund {
        try await self.client.refund(paymentID, amount: amount, currency: currency, reason: reason, key: key, saga: saga)
    }

    func listRefunds(_ paymentID: String) async throws -> Aftercare_Payments_V1_ListRefundsResponse {
        var request = Aftercare_Payments_V1_ListRefundsRequest()
        request.paymentID = paymentID
        return try await self.client.unary(PaymentsMethods.listRefunds, request)
    }

    /// Every event on the feed, oldest first.
    func events() async throws -> [Aftercare_Common_V1_Event] {
        try await self.payments.feed.read(afterSeq: 0, limit: 1_000)
    }

    /// Every row of payments' tables, the feed and the ledgers, as text: equal dumps, equal data.
    func dump() async throws -> [String] {
        try await self.database.dump()
    }
}

extension RPCClient {
    func pay(
        order: String, amount: Int64, currency: String = "CNY", channel: Aftercare_Payments_V1_Channel = .alipay, key: String
    ) async throws -> Aftercare_Payments_V1_Payment {
        var request = Aftercare_Payments_V1_PayRequest()
        request.orderID = order
        request.buyerID = "buyer_1"
        request.sellerID = "seller_1"
        request.amount = Aftercare_Common_V1_Money(amount, currency)
        request.channel = channel
        return try await self.unary(PaymentsMethods.pay, request, options: CallOptions(idempotencyKey: key))
    }

    func refund(
        _ paymentID: String, amount: Int64, currency: String = "CNY", reason: String = "damaged item", key: String?,
        saga: SagaContext? = nil
    ) async throws -> Aftercare_Payments_V1_Refund {
        var request = Aftercare_Payments_V1_RefundRequest()
        request.paymentID = paymentID
        request.amount = Aftercare_Common_V1_Money(amount, currency)
        request.reason = reason
        return try await self.unary(PaymentsMethods.refund, request, options: CallOptions(saga: saga, idempotencyKey: key))
    }

    func getRefund(_ refundID: String) async throws -> Aftercare_Payments_V1_Refund {
        var request = Aftercare_Payments_V1_GetRefundRequest()
        request.refundID = refundID
        return try await self.unary(PaymentsMethods.getRefund, request)
    }
}

extension ProviderLedger {
    /// The refunds paid back against `chargeReference`.
    func refunds(of chargeReference: String) async throws -> [ProviderOperation] {
        try await self.operations().filter { $0.kind == .refund && $0.chargeReference == chargeReference }
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func eventually(
    timeout: Duration = .seconds(10), _ what: String, _ condition: @Sendable () async throws -> Bool
) async throws {
    let start = ContinuousClock.now
    while ContinuousClock.now - start < timeout {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out waiting until \(what)")
}
