/// A setting that is missing or invalid: start-up stops (exit status 78), naming it. Thrown by the
/// runtime for the settings every service shares and by a service for its own.
public struct ServiceSettingsError: Error, Sendable, CustomStringConvertible {
    /// The key as in the configuration file, e.g. `database.path`.
    public var key: String
    public var problem: String

    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    public var description: String { "configuration: \(self.key): \(self.problem)" }
}
