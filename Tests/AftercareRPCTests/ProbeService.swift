import AftercareRPC
import AftercareWire
import Synchronization

/// A service whose handlers report what they went through, for tests of the runtime itself.
final class ProbeService: RPCService {
    static let wait = MethodDescriptor<Aftercare_Common_V1_HealthRequest, Aftercare_Common_V1_HealthResponse>("test.Probe/Wait")
    static let flood = MethodDescriptor<Aftercare_Common_V1_HealthRequest, Aftercare_Common_V1_HealthResponse>(
        "test.Probe/Flood", kind: .serverStreaming)
    static let refuse = MethodDescriptor<Aftercare_Common_V1_HealthRequest, Aftercare_Common_V1_HealthResponse>("test.Probe/Refuse")
    static let guarded = MethodDescriptor<Aftercare_Common_V1_HealthRequest, Aftercare_Common_V1_HealthResponse>("test.Probe/Guarded")

    private struct State {
        var started = 0
        var cancelled = 0
        var finished = 0
        var sent = 0
    }

    private let state = Mutex(State())
    /// How long `Wait` waits.
    let waitFor: Duration

    init(waitFor: Duration = .seconds(60)) {
        self.waitFor = waitFor
    }

    var started: Int { self.state.withLock { $0.started } }
    var cancelled: Int { self.state.withLock { $0.cancelled } }
    var finished: Int { self.state.withLock { $0.finished } }
    /// Messages `Flood` has handed to the runtime so far.
    var sent: Int { self.state.withLock { $0.sent } }

    func register(in router: inout RPCRouter) {
        router.unary(Self.wait) { _, _ in
            self.state.withLock { $0.started += 1 }
            do {
                try await Task.sleep(for: self.waitFor)
            } catch {
                self.state.withLock { $0.cancelled += 1 }
                throw error
            }
            self.state.withLock { $0.finished += 1 }
            return Aftercare_Common_V1_HealthResponse()
        }
        router.serverStreaming(Self.flood) { _, _, writer in
            for _ in 0..<10_000 {
                try await writer.write(Aftercare_Common_V1_HealthResponse())
                self.state.withLock { $0.sent += 1 }
            }
        }
        router.unary(Self.refuse) { _, _ in
            throw RPCError(.invalidArgument, "field order_id is empty", outcome: .notExecuted)
        }
        router.unary(Self.guarded, allowed: ["name:gateway.aftercare.internal"]) { _, _ in
            Aftercare_Common_V1_HealthResponse()
        }
    }

    /// Waits until `condition` holds, for at most 5 s.
    func eventually(_ condition: (ProbeService) -> Bool) async throws {
        for _ in 0..<500 where !condition(self) {
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
