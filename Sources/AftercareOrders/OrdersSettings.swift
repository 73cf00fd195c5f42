package import AftercareServiceKit
package import Configuration

/// Orders' own settings, beside those every service shares.
package struct OrdersSettings: Sendable, Hashable {
    /// How long after delivery an order the buyer has not confirmed completes by itself
    /// (`orders.autoComplete.afterHours`, default 168: seven days).
    package var autoCompleteAfter: Duration
    /// How often the background pass completes due orders (`orders.autoComplete.intervalMs`, default 60000).
    package var autoCompleteInterval: Duration
    /// Orders completed per transaction (`orders.autoComplete.batch`, default 100).
    package var autoCompleteBatch: Int

    package init(autoCompleteAfter: Duration = .seconds(7 * 86_400), autoCompleteInterval: Duration = .seconds(60), autoCompleteBatch: Int = 100) {
        self.autoCompleteAfter = autoCompleteAfter
        self.autoCompleteInterval = autoCompleteInterval
        self.autoCompleteBatch = autoCompleteBatch
    }

    /// Reads orders' settings from `config`; a value that is not a whole number of at least 1
    /// stops the service (exit status 78), naming the key.
    package init(config: ConfigReader) throws(ServiceSettingsError) {
        self.init(
            autoCompleteAfter: .seconds(3_600 * (try config.wholeSetting("orders.autoComplete.afterHours", default: 168, minimum: 1))),
            autoCompleteInterval: .milliseconds(try config.wholeSetting("orders.autoComplete.intervalMs", default: 60_000, minimum: 1)),
            autoCompleteBatch: try config.wholeSetting("orders.autoComplete.batch", default: 100, minimum: 1))
    }
}
