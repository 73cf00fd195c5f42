import AftercareRPC
import ArgumentParser
import BenchEcho
import CoreMetrics
import Foundation

/// `aftercare-bench echo|services|sagas|load REPOSITORY-ROOT`: prints a markdown report.
@main
struct Benchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aftercare-bench",
        abstract: "Aftercare's benchmarks, each against a peer measured in the same run.",
        subcommands: [EchoBenchmark.self, ServiceBenchmark.self, SagaBenchmark.self, LoadBenchmark.self],
        defaultSubcommand: EchoBenchmark.self)
}

/// `aftercare-bench echo REPOSITORY-ROOT`: raw SwiftNIO, Aftercare and grpc-swift-2, each over one
/// Unix socket connection, plaintext and mutual TLS 1.3, repeated and interleaved; Aftercare also
/// recording metrics (d), making spans for every call (e) and for 1 % of them (f).
struct EchoBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo",
        abstract: "Echo latency and throughput: raw SwiftNIO vs Aftercare vs grpc-swift-2, one Unix-socket connection.")

    @Argument(help: "The repository root (for scripts/make-certs.sh).")
    var repositoryRoot: String

    @Option(help: "Repetitions of every measurement, interleaved.")
    var repetitions = 3

    @Option(help: "Sequential calls timed per measurement (after 10% as many warm-up calls).")
    var calls = 20_000

    @Option(help: "Calls in flight in the throughput phase.")
    var concurrency = 64

    @Option(help: "Throughput window in seconds (after a 0.3 s warm-up).")
    var window = 2.0

    @Option(
        help:
            "Which systems to run: letters of a (raw SwiftNIO), b (Aftercare), c (grpc-swift-2), d (Aftercare recording metrics), e (Aftercare making spans), f (Aftercare sampling 1 % of traces), g (Aftercare, callers on the connection's event loop)."
    )
    var systems = "abcdefg"

    func run() async throws {
        let selected = System.allCases.filter { self.systems.contains($0.tag) }
        let plan = Plan(warmupCalls: max(self.calls / 10, 100), calls: self.calls, concurrency: self.concurrency,
                        warmup: .milliseconds(300), window: .milliseconds(Int(self.window * 1_000)))
        let directory = try Self.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificates = try Certificates.make(repositoryRoot: self.repositoryRoot, in: "\(directory)/certs")
        MetricsSystem.bootstrap(MetricsSwitch.shared)
        let sink = try await OTLPSink.start()
        let exporter = try TracingSwitch.bootstrap(exportingTo: sink.port)
        defer { exporter.cancel() }

        var results: [Key: [Measurement]] = [:]
        for repetition in 1...self.repetitions {
            for system in selected {
                for security in Security.allCases {
                    let socket = "\(directory)/\(system.tag)\(repetition)\(security == .plaintext ? "p" : "t").sock"
                    let measurement = try await system.measure(plan: plan, security: security, certificates: certificates, socketPath: socket)
                    results[Key(system: system, security: security), default: []].append(measurement)
                }
            }
        }
        try await sink.stop()
        print(Report(plan: plan, repetitions: self.repetitions, systems: selected, results: results).markdown)
        if selected.contains(.aftercareMetrics) {
            print("\n(d)'s registry counted \(MetricsSwitch.shared.servedOK(EchoService.say.fullName).formatted()) echo calls served OK.")
        }
    }

    /// A short directory under /tmp: Unix socket paths are capped at 107 bytes.
    static func makeTemporaryDirectory() throws -> String {
        var template = Array("/tmp/acb-XXXXXX".utf8CString)
        guard let path = mkdtemp(&template) else { throw BenchmarkError("mkdtemp failed: errno \(errno)") }
        return String(cString: path)
    }
}

/// The seven systems, in the order they run in each repetition: (f) before (e), whose spans the
/// exporter is still sending when it ends.
enum System: CaseIterable, Sendable {
    case rawNIO, aftercare, aftercareOnLoop, grpc, aftercareMetrics, aftercareSampling, aftercareTracing

    var tag: String {
        switch self {
        case .rawNIO: "a"
        case .aftercare: "b"
        case .grpc: "c"
        case .aftercareMetrics: "d"
        case .aftercareTracing: "e"
        case .aftercareSampling: "f"
        case .aftercareOnLoop: "g"
        }
    }

    var name: String {
        switch self {
        case .rawNIO: "(a) raw SwiftNIO"
        case .aftercare: "(b) Aftercare"
        case .grpc: "(c) grpc-swift-2"
        case .aftercareMetrics: "(d) Aftercare, metrics on"
        case .aftercareTracing: "(e) Aftercare, tracing on"
        case .aftercareSampling: "(f) Aftercare, tracing 1 %"
        case .aftercareOnLoop: "(g) Aftercare, callers on the loop"
        }
    }

    func measure(plan: Plan, security: Security, certificates: Certificates, socketPath: String) async throws -> Measurement {
        switch self {
        case .rawNIO: try await RawNIO.measure(plan: plan, security: security, certificates: certificates, socketPath: socketPath)
        case .aftercare: try await AftercareSystem.measure(plan: plan, security: security, certificates: certificates, socketPath: socketPath)
        case .aftercareOnLoop:
            try await AftercareSystem.measure(
                plan: plan, security: security, certificates: certificates, socketPath: socketPath, callersOnLoop: true)
        case .grpc: try await GRPCSystem.measure(plan: plan, security: security, certificates: certificates, socketPath: socketPath)
        case .aftercareMetrics:
            try await MetricsSwitch.shared.on {
                try await AftercareSystem.measure(plan: plan, security: security, certificates: certificates, socketPath: socketPath)
            }
        case .aftercareTracing:
            try await TracingSwitch.on(sampling: 1) {
                try await AftercareSystem.measure(plan: plan, security: security, certificates: certificates, socketPath: socketPath)
            }
        case .aftercareSampling:
            try await TracingSwitch.on(sampling: TracingSwitch.sampledShare) {
                try await AftercareSystem.measure(
                    plan: plan, security: security, certificates: certificates, socketPath: socketPath, underCallersTraces: true)
            }
        }
    }
}

struct Key: Hashable {
    var system: System
    var security: Security
}
