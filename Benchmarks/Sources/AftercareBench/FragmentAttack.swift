import AftercareWire
import BenchEcho
import NIOCore

/// Phase 2: `connections` raw plaintext connections each open `callsPerConnection` echo calls
/// (30 s timeout) with a CALL frame flagged MORE that carries a fragment as large as a frame
/// allows (1 MiB less the call fields), and never finish them. The server must bound what it holds
/// for requests still arriving and refuse the rest with `RESOURCE_EXHAUSTED`; a bystander client,
/// connected before, calls during the attack.
enum FragmentAttack {
    struct Result: Sendable {
        var connections: Int
        var callsPerConnection: Int
        var fragmentBytes: Int
        /// The server's caps on bytes of requests still arriving.
        var capPerConnection: Int
        var capTotal: Int
        /// CALL frames written to the socket, and those not written within 2 s (or not at all).
        var framesSent: Int
        var framesUnsent: Int
        /// Read 0.5 s after the last frame was sent.
        var answers: AttackAnswers.Counts
        var connectionsOpen: Int
        var residentBefore: Int
        var residentPeak: Int
        /// After the attack connections closed and 1 s more.
        var residentAfter: Int
        var echoBefore: EchoProbe
        var echoDuring: EchoProbe
        var stoppedCleanly: Bool

        /// Calls sent that the server has not answered: held, waiting for fragments that never
        /// come (or dropped with a connection it closed; see ``connectionsOpen``).
        var pending: Int { self.framesSent - self.answers.ends }
    }

    static func run(connections: Int, callsPerConnection: Int, certificates: Certificates, socketPath: String) async throws -> Result {
        let endpoint = try await EchoEndpoint.start(socketPath: socketPath, security: .plaintext, certificates: certificates)
        let bystander = endpoint.makeClient(name: "aftercare-bench-bystander")
        let echoBefore = await EchoProbe.call(bystander.client)
        let residentBefore = ProcessResources.residentBytes()
        let peak = PeakResidentMemory()

        let answers = AttackAnswers()
        var attackers: [AttackConnection] = []
        for _ in 0..<connections {
            attackers.append(try await AttackConnection.open(socketPath: socketPath, answers: answers))
        }
        let fields = CallFields(method: EchoService.say.fullName, timeoutMicros: 30_000_000)
        let callFieldsBytes = Frame.call(streamID: 1, fields: fields, payload: ByteBuffer(), flags: .more).ext.readableBytes
        let fragmentBytes = Int(endpoint.configuration.limits.maxFrameSize) - callFieldsBytes
        let fragment = ByteBuffer(repeating: 0x61, count: fragmentBytes)
        var sent = 0
        var blocked = Set<Int>()
        for call in 0..<callsPerConnection {
            let frame = Frame.call(streamID: UInt32(2 * call + 1), fields: fields, payload: fragment, flags: .more)
            for (index, attacker) in attackers.enumerated() where !blocked.contains(index) {
                if await attacker.send(frame, within: .seconds(2)) { sent += 1 } else { blocked.insert(index) }
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        let echoDuring = await EchoProbe.call(bystander.client)
        let answered = answers.snapshot
        let stillOpen = attackers.filter(\.isOpen).count

        for attacker in attackers { await attacker.close() }
        let residentPeak = await peak.stop()
        try await Task.sleep(for: .seconds(1))
        let residentAfter = ProcessResources.residentBytes()
        let bystanderStopped = await bystander.running.stop()
        let serverStopped = await endpoint.server.stop()
        return Result(
            connections: connections, callsPerConnection: callsPerConnection, fragmentBytes: fragmentBytes,
            capPerConnection: endpoint.configuration.maxBufferedRequestBytesPerConnection,
            capTotal: endpoint.configuration.maxBufferedRequestBytesTotal,
            framesSent: sent, framesUnsent: connections * callsPerConnection - sent, answers: answered, connectionsOpen: stillOpen,
            residentBefore: residentBefore, residentPeak: residentPeak, residentAfter: residentAfter,
            echoBefore: echoBefore, echoDuring: echoDuring, stoppedCleanly: bystanderStopped && serverStopped)
    }
}
