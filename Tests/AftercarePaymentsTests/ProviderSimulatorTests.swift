import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Testing

@testable import AftercarePayments

@Suite("provider simulator")
struct ProviderSimulatorTests {
    private static func withSimulator(_ rules: SimulatorRules = .init(), _ body: (ProviderSimulator, String) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("provider.sqlite")
        try await body(ProviderSimulator(ledger: try ProviderLedger.open(path: path), rules: rules, clock: ServiceClock()), path)
    }

    private static let refund = ProviderRefund(key: "saga_1/refund/forward", chargeReference: "ch_1", amount: .init(500, "CNY"), reason: "r")

    @Test("a repeated key pays once and gets the first answer")
    func repeatedKeyPaysOnce() async throws {
        try await Self.withSimulator { simulator, _ in
            let card = simulator.provider(.card)
            let first = try await card.refund(Self.refund)
            let second = try await card.refund(Self.refund)
            #expect(first == second)
            let operations = try await simulator.ledger.operations()
            #expect(operations.count == 1)
            #expect(operations.first?.requests == 2)
            #expect(try await card.lookupRefund(key: Self.refund.key) == first)
            #expect(try await card.lookupRefund(key: "other") == nil)
        }
    }

    @Test("amounts ending in the configured digits are declined, and the decline is kept")
    func declineRule() async throws {
        var rules = SimulatorRules()
        rules.declineAmountsEndingIn = "99"
        try await Self.withSimulator(rules) { simulator, _ in
            var refund = Self.refund
            refund.amount = .init(1_099, "CNY")
            let result = try await simulator.provider(.alipay).refund(refund)
            guard case .declined(let reason) = result else { Issue.record("not declined: \(result)"); return }
            #expect(reason.contains("99"))
            #expect(try await simulator.provider(.alipay).lookupRefund(key: refund.key) == result)
            let charge = try await simulator.provider(.alipay).charge(ProviderCharge(key: "c", amount: .init(10_000, "CNY")))
            guard case .succeeded = charge else { Issue.record("charge declined: \(charge)"); return }
        }
    }

    @Test("a time-out acts, then loses the answer; a lost request does not act")
    func timeoutsAndLostRequests() async throws {
        var rules = SimulatorRules()
        rules.timeoutFirstRefunds = 1
        rules.loseFirstRefunds = 1
        try await Self.withSimulator(rules) { simulator, _ in
            let wechat = simulator.provider(.wechatPay)
            await #expect(throws: ProviderError.self) { try await wechat.refund(Self.refund) }
            #expect(try await wechat.lookupRefund(key: Self.refund.key) != nil)
            var second = Self.refund
            second.key = "saga_2/refund/forward"
            await #expect(throws: ProviderError.self) { try await wechat.refund(second) }
            #expect(try await wechat.lookupRefund(key: second.key) == nil)
            _ = try await wechat.refund(second)
            #expect(try await simulator.ledger.operations().map(\.requests) == [1, 1])
        }
    }

    @Test("the time-out rate draws the same fates for the same seed")
    func seededTimeoutRate() async throws {
        var rules = SimulatorRules()
        rules.timeoutRate = 0.5
        rules.seed = 42
        try await Self.withSimulator(rules) { first, _ in
            try await Self.withSimulator(rules) { second, _ in
                let fates = (0..<40).map { _ in first.nextFate(.refund) }
                #expect(fates == (0..<40).map { _ in second.nextFate(.refund) })
                #expect(fates.contains(.timesOut) && fates.contains(.answers))
            }
        }
    }

    @Test("the ledger is durable: a reopened file holds what was paid")
    func ledgerSurvivesReopening() async throws {
        try await Self.withSimulator { simulator, path in
            _ = try await simulator.provider(.card).refund(Self.refund)
            let reopened = try ProviderLedger.open(path: path)
            #expect(try await reopened.operations() == simulator.ledger.operations())
            #expect(try await reopened.operations().count == 1)
        }
    }
}
