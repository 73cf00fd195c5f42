import Foundation

/// The markdown report of the saga benchmark, for each database it ran on: one row per phase,
/// then per phase what each process did per saga, then the calls per saga by method for each
/// journey's busiest phase; with two databases, then each phase's figures side by side
/// (``SagaComparison``).
struct SagaReport {
    let runs: [SagaRun]
    let warmupFraction: Double
    let buyerConnections: Int
    let logLevel: String
    static let processes = ["gateway"] + ServiceCluster.services + [SystemCounters.bench]
    static let publicAPI = "aftercare.gateway.v1.Gateway/"
    static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    var markdown: String {
        var lines: [String] = []
        lines.append("End-to-end sagas through the gateway's public API: the six release-built executables as processes on one machine "
            + "(\(Self.cores) cores), Unix sockets, mutual TLS 1.3, spans, inboxes and feeds on, "
            + "log level \(self.logLevel). Timed: from the buyer's Apply to the buyer's inbox stream (FollowNotifications, one per "
            + "concurrent buyer, over \(self.buyerConnections) buyer-app connections) showing the case REFUNDED. Orders are placed and "
            + "paid (and for returns shipped and delivered) beforehand, not timed; warm-up sagas first "
            + "(\(Int(self.warmupFraction * 100))% as many, at least 2 per buyer). Counters run from the first timed Apply until no database has committed for 0.4 s: calls are the spans "
            + "every service served (the clients' calls to the gateway included, the inbox streams not); writes are committed write "
            + "transactions of the six databases (on SQLite the wal-index change counter, each one WAL fsync; on PostgreSQL the "
            + "COMMIT records in the WAL, by the database of the rows they wrote); CPU is user+system of the six processes, the "
            + "bench's clients and on PostgreSQL the server (postmaster and every child but the bench's own connections); busy is "
            + "that CPU over \(Self.cores) cores × the counted window.")
        for run in self.runs {
            lines.append("")
            lines += self.section(run)
        }
        if self.runs.count > 1 {
            lines.append("")
            lines += SagaComparison(runs: self.runs).markdown
        }
        return lines.joined(separator: "\n")
    }

    /// Every table of one database's run.
    private func section(_ run: SagaRun) -> [String] {
        var lines: [String] = []
        switch run.settings {
        case nil: lines.append("**On \(run.database)** (each service its own file, WAL, synchronous=FULL):")
        case let settings?:
            lines.append("**On \(run.database)** (one server, each service its own database, over a Unix socket; started with "
                + settings.map { "`\($0)`" }.joined(separator: ", ") + ", the rest PostgreSQL's defaults):")
        }
        lines.append("")
        lines.append("| Saga | concurrent | sagas | sagas/s | p50 ms | p99 ms | max ms | calls/saga (client) | writes/saga | CPU ms/saga | busy |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for phase in run.phases {
            let perSaga = { (value: Double) in value / Double(phase.sagas) }
            let calls = phase.calls.values.reduce(0) { $0 + $1.values.reduce(0, +) }
            let client = (phase.calls["gateway"] ?? [:]).filter { $0.key.hasPrefix(Self.publicAPI) }.values.reduce(0, +)
            let writes = phase.commits.values.reduce(0, +)
            let cpu = phase.cpuSeconds.values.reduce(0, +)
            lines.append("| \(phase.journey) | \(phase.concurrency) | \(phase.sagas) | \(Self.f(phase.sagasPerSecond, 1)) | "
                + "\(Self.f(phase.percentile(0.5), 1)) | \(Self.f(phase.percentile(0.99), 1)) | \(Self.f(phase.latencies.last ?? .nan, 1)) | "
                + "\(Self.f(perSaga(Double(calls)), 1)) (\(Self.f(perSaga(Double(client)), 1))) | \(Self.f(perSaga(Double(writes)), 1)) | "
                + "\(Self.f(perSaga(cpu) * 1_000, 2)) | \(Self.f(cpu / (Double(Self.cores) * phase.window) * 100, 0))% |")
        }
        if let goal = run.phases.filter({ $0.journey == "refund-only" }).max(by: { $0.concurrency < $1.concurrency }) {
            let cpu = goal.cpuSeconds.values.reduce(0, +) * 1_000 / Double(goal.sagas)
            let gateway = (goal.cpuSeconds["gateway"] ?? 0) * 1_000 / Double(goal.sagas)
            let met = goal.sagasPerSecond >= 250 && goal.percentile(0.99) <= 250 && cpu <= 8 && gateway <= 3
            lines.append("")
            lines.append("Goal (refund-only, 32 concurrent: ≥ 250 sagas/s, p99 ≤ 250 ms, ≤ 8 ms of CPU per saga, the gateway ≤ 3 ms): "
                + "at \(goal.concurrency) concurrent, \(Self.f(goal.sagasPerSecond, 1)) sagas/s, p99 \(Self.f(goal.percentile(0.99), 1)) ms, "
                + "\(Self.f(cpu, 2)) ms of CPU, the gateway \(Self.f(gateway, 2)) ms — \(met ? "met" : "not met").")
        }
        if let returns = run.phases.filter({ $0.journey == "return-and-refund" }).max(by: { $0.concurrency < $1.concurrency }) {
            lines.append("Goal (return-and-refund, 8 concurrent: ≥ 80 sagas/s): at \(returns.concurrency) concurrent, "
                + "\(Self.f(returns.sagasPerSecond, 1)) sagas/s — \(returns.sagasPerSecond >= 80 ? "met" : "not met").")
        }
        for phase in run.phases {
            let wal = phase.walBytes.map { ", \(Self.f(Double($0) / 1_024 / Double(phase.sagas), 1)) KiB of WAL" } ?? ""
            let syncs = phase.walSyncs.map { ", \(Self.f(Double($0) / Double(phase.sagas), 1)) WAL fsyncs" } ?? ""
            lines.append("")
            lines.append("Per saga, \(run.database), \(phase.journey) at \(phase.concurrency) concurrent (\(Self.f(phase.window, 1)) s counted, "
                + "\(Self.f(Double(phase.notifications) / Double(phase.sagas), 1)) inbox notifications streamed to the buyer\(wal)\(syncs)):")
            lines.append("")
            lines.append("| Process | calls served | writes | CPU ms | CPU share |")
            lines.append("|---|---:|---:|---:|---:|")
            let cpuTotal = phase.cpuSeconds.values.reduce(0, +)
            let server = phase.cpuSeconds[SystemCounters.postgres] == nil ? [] : [SystemCounters.postgres]
            for process in Self.processes + server {
                let calls = phase.calls[process].map { Self.f(Double($0.values.reduce(0, +)) / Double(phase.sagas), 1) } ?? "–"
                let writes = phase.commits[process].map { Self.f(Double($0) / Double(phase.sagas), 1) } ?? "–"
                let cpu = phase.cpuSeconds[process] ?? 0
                lines.append("| \(process) | \(calls) | \(writes) | \(Self.f(cpu * 1_000 / Double(phase.sagas), 2)) | "
                    + "\(Self.f(cpu / cpuTotal * 100, 0))% |")
            }
        }
        var seen: Set<String> = []
        for phase in run.phases.sorted(by: { $0.concurrency > $1.concurrency }) where seen.insert(phase.journey).inserted {
            lines.append("")
            lines.append("Calls per saga by method, \(run.database), \(phase.journey) at \(phase.concurrency) concurrent:")
            lines.append("")
            for process in ["gateway"] + ServiceCluster.services {
                let methods = (phase.calls[process] ?? [:]).sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                guard !methods.isEmpty else { continue }
                let list = methods.map { "\(Self.shortName($0.key)) \(Self.f(Double($0.value) / Double(phase.sagas), 2))" }
                lines.append("- \(process): " + list.joined(separator: ", "))
            }
            lines.append("")
            lines.append("Rows added per saga by table (spans left out), \(run.database), \(phase.journey) at \(phase.concurrency) concurrent:")
            lines.append("")
            for process in ["gateway"] + ServiceCluster.services {
                let tables = (phase.rowsAdded[process] ?? [:]).filter { $0.key != "spans" }
                    .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                guard !tables.isEmpty else { continue }
                lines.append("- \(process): " + tables.map { "\($0.key) \(Self.f(Double($0.value) / Double(phase.sagas), 1))" }.joined(separator: ", "))
            }
        }
        return lines
    }

    /// "aftercare.orders.v1.Orders/ReserveRefund" → "Orders/ReserveRefund".
    static func shortName(_ method: String) -> String {
        method.split(separator: ".").last.map(String.init) ?? method
    }

    static func f(_ value: Double, _ digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "–"
    }
}
