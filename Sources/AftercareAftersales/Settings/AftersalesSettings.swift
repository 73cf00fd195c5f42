package import AftercareServiceKit
package import Configuration

/// Aftersales' own settings, beside those every service shares.
package struct AftersalesSettings: Sendable {
    /// The review policy: the file at `aftersales.policy`, or the built-in default when the key is
    /// empty or absent.
    package var policy: ReviewPolicy
    /// How often the background pass fires due timers (`aftersales.timers.intervalMs`, default 60000).
    package var timerInterval: Duration
    /// Timers fired per transaction (`aftersales.timers.batch`, default 100).
    package var timerBatch: Int

    package init(policy: ReviewPolicy = .builtIn, timerInterval: Duration = .seconds(60), timerBatch: Int = 100) {
        self.policy = policy
        self.timerInterval = timerInterval
        self.timerBatch = timerBatch
    }

    /// Reads aftersales' settings from `config`. A policy file that cannot be read or is invalid,
    /// or a number that is not a whole number of at least 1, stops the service (exit status 78),
    /// naming the key (and the policy file's line).
    package init(config: ConfigReader) throws(ServiceSettingsError) {
        var policy = ReviewPolicy.builtIn
        if let path = config.string(forKey: "aftersales.policy"), !path.isEmpty {
            do {
                policy = try ReviewPolicy.load(contentsOf: path)
            } catch {
                throw ServiceSettingsError(key: "aftersales.policy", problem: "\(path): \(error)")
            }
        }
        self.init(
            policy: policy,
            timerInterval: .milliseconds(try config.wholeSetting("aftersales.timers.intervalMs", default: 60_000, minimum: 1)),
            timerBatch: try config.wholeSetting("aftersales.timers.batch", default: 100, minimum: 1))
    }
}
