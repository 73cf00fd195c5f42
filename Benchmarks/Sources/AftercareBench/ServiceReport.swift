import Foundation

/// The markdown report of the service benchmark: each call's figures, the floor's, and the ratios.
struct ServiceReport {
    let plan: Plan
    let repetitions: Int
    let services: [ServiceUnderTest]
    let floor: [Measurement]
    let results: [String: [Measurement]]

    var markdown: String {
        var lines: [String] = []
        lines.append("Each service's main mutating call over one Unix-socket connection with mutual TLS 1.3, served in process from "
            + "its own SQLite file (WAL, synchronous=FULL); \(self.repetitions) interleaved repetitions, "
            + "\(ProcessInfo.processInfo.activeProcessorCount) cores. Latency: \(self.plan.calls.formatted()) sequential calls after "
            + "\(self.plan.warmupCalls.formatted()) warm-up calls. Throughput: \(self.plan.concurrency) calls in flight, counted over "
            + "\(self.plan.window.seconds.formatted()) s after \(self.plan.warmup.seconds.formatted()) s. The floor is the same "
            + "disk's bare SQLite transaction (one 200-byte row, same settings). Median (min–max).")
        lines.append("")
        lines.append("| Call | p50 µs | p99 µs | calls/s | p50 ÷ floor | calls/s ÷ floor |")
        lines.append("|---|---:|---:|---:|---:|---:|")
        let floorP50 = Report.median(self.floor.map(\.p50))
        let floorRate = Report.median(self.floor.map(\.callsPerSecond))
        lines.append("| storage floor: one SQLite transaction | \(Report.summary(self.floor.map(\.p50), digits: 0)) | "
            + "\(Report.summary(self.floor.map(\.p99), digits: 0)) | \(Report.summary(self.floor.map(\.callsPerSecond), digits: 0)) | 1.00× | 1.00× |")
        for service in self.services {
            let runs = self.results[service.name] ?? []
            lines.append("| \(service.name) \(service.call) | \(Report.summary(runs.map(\.p50), digits: 0)) | "
                + "\(Report.summary(runs.map(\.p99), digits: 0)) | \(Report.summary(runs.map(\.callsPerSecond), digits: 0)) | "
                + String(format: "%.2f× | %.2f× |", Report.median(runs.map(\.p50)) / floorP50, Report.median(runs.map(\.callsPerSecond)) / floorRate))
        }
        return lines.joined(separator: "\n")
    }
}
