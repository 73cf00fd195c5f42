import AftercareTesting

/// What a layer of the suite found: cases run, processes that died, wrong answers, state changes.
struct BadInputTally: Sendable {
    let layer: String
    var run = 0
    var crashes: [String] = []
    var wrong: [String] = []
    var stateChanges: [String] = []
    /// How many answers of each status and outcome, for the report (not judged beyond the cases').
    var answers: [String: Int] = [:]

    var failed: Bool { !self.crashes.isEmpty || !self.wrong.isEmpty || !self.stateChanges.isEmpty }

    /// The counts, then every wrong case with what it got.
    var report: String {
        var lines = ["\(self.layer): \(self.run) cases run, \(self.crashes.count) crashes, \(self.wrong.count) wrong answers, \(self.stateChanges.count) state changes outside spans"]
        if !self.answers.isEmpty {
            lines.append("  answers: " + self.answers.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
        }
        lines += self.crashes.map { "  CRASH \($0)" }
        lines += self.wrong.map { "  WRONG \($0)" }
        lines += self.stateChanges.map { "  CHANGED \($0)" }
        return lines.joined(separator: "\n")
    }

    /// Records every process of the world that is no longer running (after `what`), and starts it again.
    mutating func checkProcesses(_ world: GatewayWorld, after what: String) async throws {
        for name in StateSnapshot.services where !world.process(name).isRunning {
            let ending = try await world.process(name).waitUntilEnded(within: .seconds(1)).map { "\($0)" } ?? "stopped"
            self.crashes.append("aftercare-\(name) \(ending) after \(what)")
            try await world.relaunch(name)
        }
    }
}
