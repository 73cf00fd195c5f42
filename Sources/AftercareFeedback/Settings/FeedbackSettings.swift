public import AftercareServiceKit
public import Configuration

/// Feedback's own settings, beside those every service shares.
public struct FeedbackSettings: Sendable, Hashable {
    /// How often the background pass expires due reviews (`feedback.expiry.intervalMs`, default 60000).
    public var expiryInterval: Duration
    /// Reviews expired per transaction (`feedback.expiry.batch`, default 100).
    public var expiryBatch: Int

    public init(expiryInterval: Duration = .seconds(60), expiryBatch: Int = 100) {
        self.expiryInterval = expiryInterval
        self.expiryBatch = expiryBatch
    }

    /// Reads feedback's settings from `config`; a value that is not a whole number of at least 1
    /// stops the service (exit status 78), naming the key.
    public init(config: ConfigReader) throws(ServiceSettingsError) {
        self.init(
            expiryInterval: .milliseconds(try Self.whole(config, "feedback.expiry.intervalMs", default: 60_000)),
            expiryBatch: try Self.whole(config, "feedback.expiry.batch", default: 100))
    }

    private static func whole(_ config: ConfigReader, _ key: String, default value: Int) throws(ServiceSettingsError) -> Int {
        guard let text = config.string(forKey: ConfigKey(key)) else { return value }
        guard let number = Int(text), number >= 1 else {
            throw ServiceSettingsError(key: key, problem: "must be a whole number of at least 1, got \(text.prefix(40))")
        }
        return number
    }
}
