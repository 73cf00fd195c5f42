import Foundation

/// The markdown report: medians with min–max over the repetitions, then the ratios.
struct Report {
    let plan: Plan
    let repetitions: Int
    let systems: [System]
    let results: [Key: [Measurement]]

    var markdown: String {
        var lines: [String] = []
        lines.append("Echo over one Unix-socket connection, 100-byte request; \(self.repetitions) interleaved repetitions, "
            + "\(ProcessInfo.processInfo.activeProcessorCount) cores. Latency: \(self.plan.calls.formatted()) sequential calls "
            + "after \(self.plan.warmupCalls.formatted()) warm-up calls. Throughput: \(self.plan.concurrency) calls in flight, "
            + "counted over \(self.plan.window.seconds.formatted()) s after \(self.plan.warmup.seconds.formatted()) s. "
            + "Median (min–max); mallocs per sequential call count client and server (one process); CPU µs per call is the "
            + "process's CPU time (client and server, all threads) over the throughput window per call completed in it.")
        lines.append("")
        lines.append("| System | Security | p50 µs | p99 µs | calls/s | CPU µs/call | mallocs/call |")
        lines.append("|---|---|---:|---:|---:|---:|---:|")
        for system in self.systems {
            for security in Security.allCases {
                let runs = self.results[Key(system: system, security: security)] ?? []
                lines.append("| \(system.name) | \(security.rawValue) | \(Self.summary(runs.map(\.p50), digits: 1)) | "
                    + "\(Self.summary(runs.map(\.p99), digits: 1)) | \(Self.summary(runs.map(\.callsPerSecond), digits: 0)) | "
                    + "\(Self.summary(runs.map(\.cpuMicrosPerCall), digits: 1)) | \(Self.summary(runs.map(\.mallocsPerCall), digits: 1)) |")
            }
        }
        let others = [(System.rawNIO, "(a)"), (System.grpc, "(c)")].filter { self.systems.contains($0.0) }
        let variants = [System.aftercareMetrics, .aftercareTracing, .aftercareSampling].filter { self.systems.contains($0) }
        let callers = [(System.aftercare, "(b)"), (System.aftercareOnLoop, "(g)")].filter { self.systems.contains($0.0) }
        if !callers.isEmpty, !others.isEmpty || !variants.isEmpty {
            lines.append("")
            lines.append("| Ratio (of medians) | plaintext | mTLS |")
            lines.append("|---|---:|---:|")
        }
        for (caller, name) in callers {
            for (other, label) in others {
                lines.append("| p50 latency \(name)/\(label) | " + Security.allCases.map { self.ratio(\.p50, caller, other, $0) }.joined(separator: " | ") + " |")
                lines.append("| throughput \(name)/\(label) | " + Security.allCases.map { self.ratio(\.callsPerSecond, caller, other, $0) }.joined(separator: " | ") + " |")
                lines.append("| CPU per call \(name)/\(label) | " + Security.allCases.map { self.ratio(\.cpuMicrosPerCall, caller, other, $0) }.joined(separator: " | ") + " |")
            }
        }
        if self.systems.contains(.aftercare), self.systems.contains(.aftercareMetrics) {
            lines.append("| p50 latency (d)/(b) | " + Security.allCases.map { self.ratio(\.p50, .aftercareMetrics, .aftercare, $0) }.joined(separator: " | ") + " |")
            lines.append("| p99 latency (d)/(b) | " + Security.allCases.map { self.ratio(\.p99, .aftercareMetrics, .aftercare, $0) }.joined(separator: " | ") + " |")
            lines.append("| throughput (d)/(b) | " + Security.allCases.map { self.ratio(\.callsPerSecond, .aftercareMetrics, .aftercare, $0) }.joined(separator: " | ") + " |")
        }
        for (traced, label) in [(System.aftercareTracing, "(e)"), (System.aftercareSampling, "(f)")]
        where self.systems.contains(.aftercare) && self.systems.contains(traced) {
            lines.append("| p50 latency \(label)/(b) | " + Security.allCases.map { self.ratio(\.p50, traced, .aftercare, $0) }.joined(separator: " | ") + " |")
            lines.append("| throughput \(label)/(b) | " + Security.allCases.map { self.ratio(\.callsPerSecond, traced, .aftercare, $0) }.joined(separator: " | ") + " |")
        }
        if self.systems.contains(.rawNIO) {
            for (caller, name) in callers { lines.append(self.goal(caller, name)) }
        }
        let responseSizes = Set((self.results[Key(system: .aftercare, security: .plaintext)] ?? []).map(\.responseBytes)
            + (self.results[Key(system: .aftercare, security: .mutualTLS)] ?? []).map(\.responseBytes)).sorted()
        lines.append("")
        lines.append("Response message: each system echoes the request's text and payload; (a) and (c) send 100 bytes, "
            + "(b) and (d) \(responseSizes.map(String.init).joined(separator: "/")) bytes encoded. (d) is (b) with swift-metrics "
            + "recording into swift-prometheus' registry, as a service with metrics.listen does (no scrapes during the run); "
            + "(e) is (b) making and exporting a span per call on each side, (f) the same sampling 1 % of traces "
            + "(tracing.sampleRatio: \(TracingSwitch.sampledShare)), each call carrying a new trace's context as calls inside Aftercare do; "
            + "(g) is (b) with its callers on the client connection's event loop (`EventLoopTaskExecutor`), as (a)'s client is.")
        return lines.joined(separator: "\n")
    }

    /// The runtime's goals against the floor, for `system`: throughput at least half of (a)'s,
    /// sequential p50 within 1.5× of (a)'s, at most 30 allocations per call.
    private func goal(_ system: System, _ name: String) -> String {
        let figures = Security.allCases.map { security -> (String, Bool) in
            let throughput = self.median(\.callsPerSecond, system, security) / self.median(\.callsPerSecond, .rawNIO, security)
            let p50 = self.median(\.p50, system, security) / self.median(\.p50, .rawNIO, security)
            let mallocs = self.median(\.mallocsPerCall, system, security)
            let met = throughput >= 0.5 && p50 <= 1.5 && mallocs <= 30
            return (String(format: "%@ %.2f× / %.2f× / %.0f", security.rawValue, throughput, p50, mallocs), met)
        }
        return "\nGoal (\(name) against (a): throughput ≥ 0.5×, p50 ≤ 1.5×, ≤ 30 mallocs per call): "
            + figures.map(\.0).joined(separator: "; ") + " — " + (figures.allSatisfy(\.1) ? "met" : "not met") + "."
    }

    private func median(_ value: KeyPath<Measurement, Double>, _ system: System, _ security: Security) -> Double {
        Self.median((self.results[Key(system: system, security: security)] ?? []).map { $0[keyPath: value] })
    }

    private func ratio(_ value: KeyPath<Measurement, Double>, _ system: System, _ other: System, _ security: Security) -> String {
        String(format: "%.2f×", self.median(value, system, security) / self.median(value, other, security))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// "median (min–max)".
    static func summary(_ values: [Double], digits: Int) -> String {
        guard let low = values.min(), let high = values.max() else { return "–" }
        let format = "%.\(digits)f"
        return "\(String(format: format, Self.median(values))) (\(String(format: format, low))–\(String(format: format, high)))"
    }
}
