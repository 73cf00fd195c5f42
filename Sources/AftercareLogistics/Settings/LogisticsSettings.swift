package import AftercareServiceKit
package import Configuration

/// Logistics' own settings, beside those every service shares.
package struct LogisticsSettings: Sendable, Hashable {
    /// Whether the carrier simulator accepts commands (`simulator.enabled`).
    package var simulatorEnabled: Bool

    package init(simulatorEnabled: Bool) {
        self.simulatorEnabled = simulatorEnabled
    }

    /// Reads logistics' settings from `config`. `simulator.enabled` is `true` or `false` (also
    /// yes/no, on/off, 1/0, in any case); unset, it follows `testMode`. Any other value stops the
    /// service (exit status 78), naming the key.
    package init(config: ConfigReader, testMode: Bool) throws(ServiceSettingsError) {
        self.init(simulatorEnabled: try config.switchSetting("simulator.enabled", default: testMode))
    }
}
