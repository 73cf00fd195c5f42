import AftercareEcho
import AftercareInProcess
import AftercareRPC
import AftercareTesting
import NIOCore
import Synchronization
import Testing

/// A client over several instances of one service: it spreads its calls, sends a call an instance
/// could not take to the next one, and never resends a call an instance answered.
@Suite("Client over several instances")
struct SeveralInstancesTests {
    @Test("calls alternate between two live instances")
    func spreads() async throws {
        try await Self.withInstances(2) { client, instances in
            for index in 0..<10 { _ = try await client.unary(EchoService.say, Echo.say("call \(index)")) }
            #expect(instances.map(\.count) == [5, 5])
        }
    }

    @Test("an instance that cannot be reached is skipped: every call is answered by the other, and the dead one is tried again only after its back-off")
    func failsOver() async throws {
        let refused = RefusingTransport()
        try await Self.withInstances(1, before: [refused]) { client, instances in
            for index in 0..<8 { _ = try await client.unary(EchoService.say, Echo.say("call \(index)")) }
            #expect(instances[0].count == 8)
            // The first call tried it; the back-off (1 s) keeps the others away.
            #expect(refused.attempts.withLock { $0 } == 1)
        }
    }

    @Test("an application error is the answer: not resent to another instance")
    func applicationErrorsAreNotRetried() async throws {
        try await Self.withInstances(2) { client, instances in
            for code in [RPCError.Code.failedPrecondition, .invalidArgument, .unavailable] {
                let error = await #expect(throws: RPCError.self) {
                    _ = try await client.unary(EchoService.say, Echo.say("refused", failCode: UInt32(code.rawValue), failMessage: "no"))
                }
                #expect(error?.code == code)
            }
            #expect(instances.map(\.count).reduce(0, +) == 3)
        }
    }

    @Test("with every instance unreachable the call fails UNAVAILABLE, not executed, naming the last one tried")
    func allDown() async throws {
        try await Self.withInstances(0, before: [RefusingTransport(), RefusingTransport()]) { client, _ in
            let error = await #expect(throws: RPCError.self) { _ = try await client.unary(EchoService.say, Echo.say("nobody")) }
            #expect(error?.code == .unavailable)
            #expect(error?.outcome == .notExecuted)
        }
    }

    @Test("an instance that shuts down: its calls go to the other, which answers them all")
    func instanceStops() async throws {
        try await Self.withInstances(2) { client, instances in
            for index in 0..<4 { _ = try await client.unary(EchoService.say, Echo.say("before \(index)")) }
            instances[1].server.beginGracefulShutdown()
            try await instances[1].stopped()
            for index in 0..<6 { _ = try await client.unary(EchoService.say, Echo.say("after \(index)")) }
            #expect(instances[0].count == 2 + 6)
            #expect(instances[1].count == 2)
        }
    }

    // MARK: Harness

    /// One in-process echo server, counting the calls it ran.
    final class Instance: Sendable {
        let transport = InProcessTransport()
        let server: RPCServer
        private let done = Mutex<Task<Void, any Error>?>(nil)

        init() {
            let counted = Counted()
            self.server = RPCServer(
                transports: [self.transport.server], services: [EchoService(onSay: { _ in counted.calls.withLock { $0 += 1 } })],
                configuration: .init(name: "echo"), logger: .test("instance"))
            self.counted = counted
        }

        private let counted: Counted

        /// The calls its echo service ran.
        final class Counted: Sendable {
            let calls = Mutex(0)
        }

        var count: Int { self.counted.calls.withLock { $0 } }

        func start() {
            let server = self.server
            self.done.withLock { $0 = Task { try await server.run() } }
        }

        func stopped() async throws {
            try await self.done.withLock { $0 }?.value
        }
    }

    /// A transport whose every connection attempt is refused, counting them.
    final class RefusingTransport: ClientTransport {
        let attempts = Mutex(0)
        var target: String { "unix:/nowhere.sock" }

        func connect(_ configure: @escaping @Sendable (any Channel) throws -> Void) async throws -> any Channel {
            self.attempts.withLock { $0 += 1 }
            throw RPCError(.unavailable, "connection refused", outcome: .notExecuted)
        }
    }

    /// `count` live instances after the transports `before`, and a client over all of them, its
    /// back-off 1 s.
    static func withInstances(
        _ count: Int, before: [any ClientTransport] = [], _ body: @Sendable (RPCClient, [Instance]) async throws -> Void
    ) async throws {
        let instances = (0..<count).map { _ in Instance() }
        for instance in instances { instance.start() }
        let client = RPCClient(
            transports: before + instances.map { $0.transport.client() },
            configuration: .init(name: "test-client", initialBackoff: .seconds(1), maximumBackoff: .seconds(1)), logger: .test("client"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer {
                client.beginGracefulShutdown()
                for instance in instances { instance.server.beginGracefulShutdown() }
            }
            try await body(client, instances)
        }
        for instance in instances { try await instance.stopped() }
    }
}
