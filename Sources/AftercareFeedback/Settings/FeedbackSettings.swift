package import AftercareServiceKit
package import Configuration

/// Feedback's own settings, beside those every service shares.
package struct FeedbackSettings: Sendable, Hashable {
    /// How often the background pass expires due reviews (`feedback.expiry.intervalMs`, default 60000).
    package var expiryInterval: Duration
    /// Reviews expired per transaction (`feedback.expiry.batch`, default 100).
    package var expiryBatch: Int

    package init(expiryInterval: Duration = .seconds(60), expiryBatch: Int = 100) {
        self.expiryInterval = expiryInterval
        self.expiryBatch = expiryBatch
    }

    /// Reads feedback's settings from `config`; a value that is not a whole number of at least 1
    /// stops the service (exit status 78), naming the key.
    package init(config: ConfigReader) throws(ServiceSettingsError) {
        self.init(
            expiryInterval: .milliseconds(try config.wholeSetting("feedback.expiry.intervalMs", default: 60_000, minimum: 1)),
            expiryBatch: try config.wholeSetting("feedback.expiry.batch", default: 100, minimum: 1))
    }
}
