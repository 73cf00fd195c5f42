import AftercareRPC
import AftercareWire
import Dispatch
import Glibc
import Synchronization

/// A service whose handlers answer without suspending (synchronous closures), reporting whether
/// each ran inside a task; `Hold` blocks its thread until the test releases it, `Slow` for 2 ms.
final class ImmediateProbe: RPCService {
    static let answer = MethodDescriptor<Aftercare_Common_V1_HealthRequest, Aftercare_Common_V1_HealthResponse>("test.Immediate/Answer")
    static let hold = MethodDescriptor<Aftercare_Common_V1_HealthRequest, Aftercare_Common_V1_HealthResponse>("test.Immediate/Hold")
    static let slow = MethodDescriptor<Aftercare_Common_V1_HealthRequest, Aftercare_Common_V1_HealthResponse>("test.Immediate/Slow")

    private struct State {
        var withoutTask = 0
        var inTask = 0
        var holding = 0
    }

    private let state = Mutex(State())
    private let release = DispatchSemaphore(value: 0)

    /// Handlers that ran outside any task (on the event loop), and inside one.
    var withoutTask: Int { self.state.withLock { $0.withoutTask } }
    var inTask: Int { self.state.withLock { $0.inTask } }
    /// `Hold` handlers that started.
    var holding: Int { self.state.withLock { $0.holding } }

    /// Lets `count` held handlers return.
    func releaseHeld(_ count: Int) {
        for _ in 0..<count { self.release.signal() }
    }

    func register(in router: inout RPCRouter) {
        router.unary(Self.answer) { _, context in
            self.count()
            var response = Aftercare_Common_V1_HealthResponse()
            response.service = context.method
            return response
        }
        router.unary(Self.slow) { _, context in
            self.count()
            usleep(2_000)
            var response = Aftercare_Common_V1_HealthResponse()
            response.service = context.method
            return response
        }
        router.unary(Self.hold) { _, _ in
            self.count()
            self.state.withLock { $0.holding += 1 }
            self.release.wait()
            return Aftercare_Common_V1_HealthResponse()
        }
    }

    private func count() {
        let inTask = withUnsafeCurrentTask { $0 != nil }
        self.state.withLock { state in
            if inTask { state.inTask += 1 } else { state.withoutTask += 1 }
        }
    }

    /// Waits until `condition` holds, for at most 5 s.
    func eventually(_ condition: (ImmediateProbe) -> Bool) async throws {
        for _ in 0..<500 where !condition(self) {
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
