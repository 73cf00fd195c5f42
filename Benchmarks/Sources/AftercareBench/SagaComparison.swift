/// Each phase that ran on two databases, its figures side by side: SQLite's, PostgreSQL's, and
/// PostgreSQL ÷ SQLite (whatever order they ran in). Both from one invocation, so on a shared
/// machine the ratio means more than either figure.
struct SagaComparison {
    let runs: [SagaRun]

    var markdown: [String] {
        guard self.runs.count >= 2 else { return [] }
        // The run without a server (SQLite) first: the ratios are the server's cost.
        let ordered = self.runs.sorted { $0.settings == nil && $1.settings != nil }
        let (first, second) = (ordered[0], ordered[1])
        var lines = [
            "\(second.database) beside \(first.database), each cell \(first.database) → \(second.database) (\(second.database) ÷ \(first.database)); "
                + "CPU ms per saga over all processes (the database server's included), the gateway's, and the \(second.database) server's; "
                + "writes are committed write transactions, fsyncs the WAL flushes (on SQLite one per write):",
            "",
            "| Saga | concurrent | sagas/s | p50 ms | p99 ms | CPU ms/saga | gateway CPU ms | server CPU ms | writes/saga | fsyncs/saga |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for phase in first.phases {
            guard let other = second.phases.first(where: { $0.journey == phase.journey && $0.concurrency == phase.concurrency }) else { continue }
            let cells = [
                Self.cell(phase.sagasPerSecond, other.sagasPerSecond, 1),
                Self.cell(phase.percentile(0.5), other.percentile(0.5), 1),
                Self.cell(phase.percentile(0.99), other.percentile(0.99), 1),
                Self.cell(Self.perSaga(phase, phase.cpuSeconds.values.reduce(0, +) * 1_000), Self.perSaga(other, other.cpuSeconds.values.reduce(0, +) * 1_000), 2),
                Self.cell(Self.perSaga(phase, (phase.cpuSeconds["gateway"] ?? 0) * 1_000), Self.perSaga(other, (other.cpuSeconds["gateway"] ?? 0) * 1_000), 2),
                SagaReport.f(Self.perSaga(other, (other.cpuSeconds[SystemCounters.postgres] ?? .nan) * 1_000), 2),
                Self.cell(Self.perSaga(phase, Double(phase.commits.values.reduce(0, +))), Self.perSaga(other, Double(other.commits.values.reduce(0, +))), 1),
                Self.cell(Self.perSaga(phase, Double(phase.fsyncs)), Self.perSaga(other, Double(other.fsyncs)), 1),
            ]
            lines.append("| \(phase.journey) | \(phase.concurrency) | " + cells.joined(separator: " | ") + " |")
        }
        return lines
    }

    private static func perSaga(_ phase: SagaPhaseResult, _ value: Double) -> Double { value / Double(phase.sagas) }

    /// "40.9 → 30.2 (0.74×)".
    private static func cell(_ first: Double, _ second: Double, _ digits: Int) -> String {
        "\(SagaReport.f(first, digits)) → \(SagaReport.f(second, digits)) (\(SagaReport.f(second / first, 2))×)"
    }
}
