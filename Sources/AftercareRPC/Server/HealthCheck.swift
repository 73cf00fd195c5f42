/// A named check the health method runs, e.g. `database`.
public struct HealthCheck: Sendable {
    public var name: String
    /// Returns a detail on success; throws (with a readable error) on failure.
    public var check: @Sendable () async throws -> String

    public init(name: String, check: @escaping @Sendable () async throws -> String) {
        self.name = name
        self.check = check
    }
}
