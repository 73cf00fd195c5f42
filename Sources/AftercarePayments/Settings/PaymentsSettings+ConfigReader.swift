package import AftercareServiceKit
package import Configuration

extension PaymentsSettings {
    /// Reads and checks payments' settings from `config`; the provider ledger defaults to a file
    /// beside `databasePath`.
    package init(config: ConfigReader, databasePath: String) throws(ServiceSettingsError) {
        self.init(databasePath: databasePath)
        if let path = config.string(forKey: "payments.simulator.ledgerPath"), !path.isEmpty {
            self.ledgerPath = path
        }
        guard self.ledgerPath != databasePath else {
            throw ServiceSettingsError(key: "payments.simulator.ledgerPath", problem: "must be another file than database.path")
        }
        self.simulator.latency = .milliseconds(try config.wholeSetting("payments.simulator.latencyMs", default: 0, minimum: 0))
        if let text = config.string(forKey: "payments.simulator.timeoutRate") {
            guard let rate = Double(text), (0...1).contains(rate) else {
                throw ServiceSettingsError(key: "payments.simulator.timeoutRate", problem: "must be a number from 0 to 1, got \(text)")
            }
            self.simulator.timeoutRate = rate
        }
        if let text = config.string(forKey: "payments.simulator.seed") {
            guard let seed = UInt64(text) else {
                throw ServiceSettingsError(key: "payments.simulator.seed", problem: "must be a whole number from 0, got \(text)")
            }
            self.simulator.seed = seed
        }
        self.simulator.timeoutFirstRefunds = try config.wholeSetting("payments.simulator.timeoutFirstRefunds", default: 0, minimum: 0)
        self.simulator.timeoutFirstCharges = try config.wholeSetting("payments.simulator.timeoutFirstCharges", default: 0, minimum: 0)
        self.simulator.loseFirstRefunds = try config.wholeSetting("payments.simulator.loseFirstRefunds", default: 0, minimum: 0)
        self.simulator.declineAmountsEndingIn = try Self.digits(config, "payments.simulator.declineAmountsEndingIn")
        self.simulator.declineFirstRefundEndingIn = try Self.digits(config, "payments.simulator.declineFirstRefundEndingIn")
        self.reconcileInterval = .milliseconds(try config.wholeSetting("payments.reconcile.intervalMs", default: 30_000, minimum: 1))
        self.reconcileBatch = try config.wholeSetting("payments.reconcile.batch", default: 100, minimum: 1)
        self.leaseDuration = .milliseconds(try config.wholeSetting("payments.leaseMs", default: 30_000, minimum: 1))
        self.instance = try config.instanceNameSetting("payments.instance")
    }

    /// The digits setting `key` holds: empty, or 1 to 18 digits.
    private static func digits(_ config: ConfigReader, _ key: String) throws(ServiceSettingsError) -> String {
        guard let digits = config.string(forKey: ConfigKey(key)), !digits.isEmpty else { return "" }
        guard digits.utf8.count <= 18, digits.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw ServiceSettingsError(key: key, problem: "must be 1 to 18 digits, got \(digits)")
        }
        return digits
    }
}
