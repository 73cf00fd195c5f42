import ArgumentParser
import Foundation

/// `aftercare-bench services REPOSITORY-ROOT`: each service's main mutating call, served in process
/// over a Unix socket with mutual TLS from its own SQLite file (WAL, synchronous=FULL), sequential
/// and with 64 calls in flight; beside it the storage floor, the same number of bare SQLite
/// transactions of one row each on the same disk with the same settings, measured in the same run.
struct ServiceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "Each service's main mutating call vs the storage floor (bare synchronous=FULL SQLite transactions).")

    @Argument(help: "The repository root (for scripts/make-certs.sh).")
    var repositoryRoot: String

    @Option(help: "Repetitions of every measurement, interleaved.")
    var repetitions = 3

    @Option(help: "Sequential calls timed per measurement (after 10% as many warm-up calls).")
    var calls = 1_000

    @Option(help: "Calls in flight in the throughput phase.")
    var concurrency = 64

    @Option(help: "Throughput window in seconds (after a 0.3 s warm-up).")
    var window = 2.0

    @Option(help: "Which services to run, comma-separated.")
    var services = "orders,payments,logistics"

    func run() async throws {
        let selected = try self.services.split(separator: ",").map { name in
            guard let service = ServiceUnderTest.all.first(where: { $0.name == name }) else {
                throw BenchmarkError("unknown service \(name); known: \(ServiceUnderTest.all.map(\.name).joined(separator: ", "))")
            }
            return service
        }
        let plan = Plan(warmupCalls: max(self.calls / 10, 20), calls: self.calls, concurrency: self.concurrency,
                        warmup: .milliseconds(300), window: .milliseconds(Int(self.window * 1_000)))
        let directory = try EchoBenchmark.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificates = try Certificates.make(repositoryRoot: self.repositoryRoot, in: "\(directory)/certs")

        var floor: [Measurement] = []
        var results: [String: [Measurement]] = [:]
        for repetition in 1...self.repetitions {
            floor.append(try await StorageFloor.measure(plan: plan, path: "\(directory)/floor\(repetition).sqlite"))
            for service in selected {
                let run = "\(directory)/\(service.name)\(repetition)"
                results[service.name, default: []].append(
                    try await service.measure(plan: plan, certificates: certificates, socketPath: "\(run).sock", databasePath: "\(run).sqlite"))
            }
        }
        print(ServiceReport(plan: plan, repetitions: self.repetitions, services: selected, floor: floor, results: results).markdown)
    }
}
