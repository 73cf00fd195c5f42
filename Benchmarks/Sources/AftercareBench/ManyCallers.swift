import AftercareRPC
import BenchEcho

/// Phase 1: `callers` concurrent tasks, each making `callsPerCaller` unary echo calls (100-byte
/// request, 30 s deadline each) spread over `connections` clients, against one server; the whole
/// phase within `timeLimit`.
enum ManyCallers {
    struct Result: Sendable {
        var security: Security
        var connections: Int
        var callers: Int
        var callsPerCaller: Int
        var counts: CallTally.Counts
        /// Callers that had not made all their calls when the time limit passed.
        var stuckCallers: Int
        /// Until the last caller finished, or the time limit.
        var wall: Duration
        var residentBefore: Int
        var residentPeak: Int
        /// After the clients shut down and 1 s more.
        var residentAfter: Int
        /// Whether every client and the server ended their `run()` in time when stopped.
        var stoppedCleanly: Bool

        var callsPerSecond: Double { Double(self.counts.succeeded) / self.wall.seconds }
    }

    static func run(
        security: Security, connections: Int, callers: Int, callsPerCaller: Int, timeLimit: Duration,
        certificates: Certificates, socketPath: String
    ) async throws -> Result {
        let endpoint = try await EchoEndpoint.start(socketPath: socketPath, security: security, certificates: certificates)
        let residentBefore = ProcessResources.residentBytes()
        let peak = PeakResidentMemory()
        let clients = (0..<connections).map { endpoint.makeClient(name: "aftercare-bench-caller-\($0)") }
        let tally = CallTally()
        let request = AftercareSystem.echoRequest
        let options = CallOptions(timeout: .seconds(30))

        let start = ContinuousClock.now
        let calling = Task {
            await withDiscardingTaskGroup { group in
                for caller in 0..<callers {
                    let client = clients[caller % connections].client
                    group.addTask {
                        for _ in 0..<callsPerCaller {
                            do {
                                _ = try await client.unary(EchoService.say, request, options: options)
                                tally.succeeded()
                            } catch {
                                tally.failed(error)
                            }
                        }
                        tally.callerFinished()
                    }
                }
            }
        }
        let finished = await finishes(calling, within: timeLimit)
        let wall = ContinuousClock.now - start
        let counts = tally.snapshot
        if !finished { calling.cancel() }

        let clientsStopped = await Running.stopAll(clients.map(\.running))
        let residentPeak = await peak.stop()
        try await Task.sleep(for: .seconds(1))
        let residentAfter = ProcessResources.residentBytes()
        let serverStopped = await endpoint.server.stop()
        return Result(
            security: security, connections: connections, callers: callers, callsPerCaller: callsPerCaller, counts: counts,
            stuckCallers: callers - counts.finishedCallers, wall: wall, residentBefore: residentBefore, residentPeak: residentPeak,
            residentAfter: residentAfter, stoppedCleanly: clientsStopped && serverStopped)
    }
}
