import ArgumentParser
import Foundation

/// `aftercare-bench load REPOSITORY-ROOT`: the RPC runtime under load and under attack, server and
/// clients in this process over Unix sockets: many concurrent callers on one connection and on
/// many, plaintext and mutual TLS; calls whose requests never finish arriving; connections that
/// never say anything. Prints what succeeded, failed and got stuck, and the process's memory and
/// descriptors.
struct LoadBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Many concurrent callers, a fragment attack and silent connections against one in-process server.")

    @Argument(help: "The repository root (for scripts/make-certs.sh).")
    var repositoryRoot: String

    @Option(help: "Concurrent callers of the many-callers phase.")
    var callers = 1_000

    @Option(help: "Unary calls each caller makes, one after another.")
    var callsPerCaller = 20

    @Option(help: "Clients (connections) the callers are spread over, besides all on one.")
    var connections = 64

    @Option(help: "Seconds each many-callers run is given before its unfinished callers count as stuck.")
    var timeLimit = 60.0

    @Option(help: "Raw connections of the fragment attack.")
    var attackConnections = 64

    @Option(help: "Unfinished calls (1 MiB fragments) each attack connection opens.")
    var attackCalls = 16

    @Option(help: "Connections that send nothing.")
    var silentConnections = 1_000

    func validate() throws {
        let counts = [self.callers, self.callsPerCaller, self.connections, self.attackConnections, self.attackCalls, self.silentConnections]
        guard counts.allSatisfy({ $0 >= 1 }), self.timeLimit > 0 else {
            throw ValidationError("every count must be at least 1 and the time limit positive")
        }
    }

    func run() async throws {
        let directory = try EchoBenchmark.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let certificates = try Certificates.make(repositoryRoot: self.repositoryRoot, in: "\(directory)/certs")
        let timeLimit = Duration.milliseconds(Int(self.timeLimit * 1_000))

        var callerResults: [ManyCallers.Result] = []
        for security in Security.allCases {
            for connections in [1, self.connections] {
                callerResults.append(try await ManyCallers.run(
                    security: security, connections: connections, callers: self.callers, callsPerCaller: self.callsPerCaller,
                    timeLimit: timeLimit, certificates: certificates,
                    socketPath: "\(directory)/c\(connections)\(security == .plaintext ? "p" : "t").sock"))
            }
        }
        let attack = try await FragmentAttack.run(
            connections: self.attackConnections, callsPerConnection: self.attackCalls, certificates: certificates,
            socketPath: "\(directory)/attack.sock")
        let silent = try await SilentConnections.run(count: self.silentConnections, certificates: certificates, socketPath: "\(directory)/silent.sock")
        print(LoadReport(callers: callerResults, attack: attack, silent: silent, timeLimit: timeLimit).markdown)
    }
}
