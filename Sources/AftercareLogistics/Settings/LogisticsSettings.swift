public import AftercareServiceKit
public import Configuration

/// Logistics' own settings, beside those every service shares.
public struct LogisticsSettings: Sendable, Hashable {
    /// Whether the carrier simulator accepts commands (`simulator.enabled`).
    public var simulatorEnabled: Bool

    public init(simulatorEnabled: Bool) {
        self.simulatorEnabled = simulatorEnabled
    }

    /// The words `simulator.enabled` accepts, in any case.
    static let yes: Set<String> = ["true", "yes", "on", "1"]
    static let no: Set<String> = ["false", "no", "off", "0"]

    /// Reads logistics' settings from `config`. `simulator.enabled` is `true` or `false` (also
    /// yes/no, on/off, 1/0, in any case); unset, it follows `testMode`. Any other value stops the
    /// service (exit status 78), naming the key.
    public init(config: ConfigReader, testMode: Bool) throws(ServiceSettingsError) {
        guard let text = config.string(forKey: "simulator.enabled") else {
            self.init(simulatorEnabled: testMode)
            return
        }
        let word = text.lowercased()
        guard Self.yes.contains(word) || Self.no.contains(word) else {
            throw ServiceSettingsError(key: "simulator.enabled", problem: "must be true or false, got \"\(text.prefix(40))\"")
        }
        self.init(simulatorEnabled: Self.yes.contains(word))
    }
}
