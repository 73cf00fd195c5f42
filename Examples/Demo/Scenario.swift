/// One scenario of the demo.
protocol Scenario: Sendable {
    var number: Int { get }
    var title: String { get }
    /// Runs it; throws ``DemoError`` when the system did not do what the scenario shows.
    func run(_ demo: Demo) async throws -> ScenarioReport
}

/// What a scenario made, for `--report` (the CI check reads it) and for the traces shown after it.
struct ScenarioReport: Codable, Sendable {
    var number: Int
    var title: String
    /// Its cases, oldest first.
    var cases: [String]
    /// Its sagas by role, e.g. `"refund": "…"`, `"retried_refund": "…"`.
    var sagas: [String: String]
    /// The sagas whose `aftercare saga show` follows the scenario, in order.
    var shown: [String]
    /// Figures the scenario read (stock before and after, refunded amounts).
    var facts: [String: Int64] = [:]
}

/// `--report`'s file.
struct DemoReport: Codable, Sendable {
    var scenarios: [ScenarioReport]
}
