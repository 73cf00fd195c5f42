import AftercarePayments
import AftercareServiceKit
import Configuration
import Testing

@Suite("payments settings")
struct PaymentsSettingsTests {
    private static func settings(_ values: [AbsoluteConfigKey: ConfigValue]) throws(ServiceSettingsError) -> PaymentsSettings {
        try PaymentsSettings(config: ConfigReader(provider: InMemoryProvider(values: values)), databasePath: "/var/lib/aftercare/payments.sqlite")
    }

    @Test("defaults: no faults, the provider ledger beside the database, a pass every 30 s")
    func defaults() throws {
        let settings = try Self.settings([:])
        #expect(settings.ledgerPath == "/var/lib/aftercare/payments-provider.sqlite")
        #expect(settings.simulator == SimulatorRules())
        #expect(settings.reconcileInterval == .seconds(30))
        #expect(settings.leaseDuration == .seconds(30))
    }

    @Test("payments.leaseMs: the in-flight lease; a lease of none is named")
    func lease() throws {
        #expect(try Self.settings(["payments.leaseMs": "1500"]).leaseDuration == .milliseconds(1_500))
        for bad in ["0", "-5", "soon"] {
            let error = #expect(throws: ServiceSettingsError.self) { try Self.settings(["payments.leaseMs": .init(stringLiteral: bad)]) }
            #expect(error?.key == "payments.leaseMs", "\(bad)")
        }
    }

    @Test("payments.instance: the name of this process's leases; unset, none; a malformed one is named")
    func instance() throws {
        #expect(try Self.settings([:]).instance == nil)
        #expect(try Self.settings(["payments.instance": "payments-1"]).instance == "payments-1")
        for bad in ["", "pay ments", "p#1", String(repeating: "p", count: 101)] {
            let error = #expect(throws: ServiceSettingsError.self) { try Self.settings(["payments.instance": .init(stringLiteral: bad)]) }
            #expect(error?.key == "payments.instance", "\(bad)")
        }
    }

    @Test("every simulator rule is read")
    func rules() throws {
        let settings = try Self.settings([
            "payments.simulator.latencyMs": "25", "payments.simulator.timeoutRate": "0.25", "payments.simulator.seed": "7",
            "payments.simulator.timeoutFirstRefunds": "2", "payments.simulator.loseFirstRefunds": "1",
            "payments.simulator.declineAmountsEndingIn": "99", "payments.simulator.declineFirstRefundEndingIn": "98",
            "payments.simulator.ledgerPath": "/tmp/p.sqlite",
            "payments.reconcile.intervalMs": "250",
        ])
        #expect(settings.simulator.latency == .milliseconds(25))
        #expect(settings.simulator.timeoutRate == 0.25)
        #expect(settings.simulator.seed == 7)
        #expect(settings.simulator.timeoutFirstRefunds == 2)
        #expect(settings.simulator.loseFirstRefunds == 1)
        #expect(settings.simulator.declineAmountsEndingIn == "99")
        #expect(settings.simulator.declineFirstRefundEndingIn == "98")
        #expect(settings.ledgerPath == "/tmp/p.sqlite")
        #expect(settings.reconcileInterval == .milliseconds(250))
    }

    @Test(
        "an invalid setting is named",
        arguments: [
            ("payments.simulator.timeoutRate", "1.5"), ("payments.simulator.latencyMs", "-1"), ("payments.reconcile.intervalMs", "0"),
            ("payments.simulator.declineAmountsEndingIn", "9x"), ("payments.simulator.declineFirstRefundEndingIn", "-8"),
            ("payments.simulator.ledgerPath", "/var/lib/aftercare/payments.sqlite"),
        ])
    func invalid(key: String, value: String) throws {
        let error = #expect(throws: ServiceSettingsError.self) {
            try Self.settings([AbsoluteConfigKey(ConfigKey(key)): ConfigValue(.string(value), isSecret: false)])
        }
        #expect(error?.key == key)
    }
}
