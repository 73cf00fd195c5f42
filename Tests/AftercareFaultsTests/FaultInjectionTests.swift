import AftercareEcho
import AftercareFaults
import AftercareRPC
import AftercareTesting
import AftercareWire
import Synchronization
import Testing

/// Each fault against a real server: what the caller sees, what the server ran, what the log says.
@Suite("Fault injection")
struct FaultInjectionTests {
    /// The texts of the `Say` calls the server has started, in order.
    final class Seen: Sendable {
        private let texts = Mutex<[String]>([])
        func add(_ text: String) { self.texts.withLock { $0.append(text) } }
        var all: [String] { self.texts.withLock { $0 } }
    }

    /// Runs an echo server on `transport` and a client whose connections go through `plan`.
    private func withFaults(
        _ plan: String,
        on transport: TestTransport = .inProcess,
        _ body: @escaping @Sendable (RPCClient, FaultInjector, Seen, TestSystem) async throws -> Void
    ) async throws {
        let seen = Seen()
        let injector = FaultInjector(try FaultPlan(script: plan))
        try await TestSystem.run(on: transport, services: [EchoService { seen.add($0) }]) { system in
            try await system.withClient(
                as: "gateway",
                configuration: .init(name: "faulty", initialBackoff: .milliseconds(10)),
                wrap: { FaultyClientTransport(wrapping: $0, injector: injector) }
            ) { client in
                try await body(client, injector, seen, system)
            }
        }
    }

    private static func say(_ client: RPCClient, _ text: String, timeout: Duration = .seconds(5), trace: TraceParent = .random()) async throws -> String {
        try await client.unary(EchoService.say, Echo.say(text), options: .init(timeout: timeout, traceParent: trace)).text
    }

    @Test("a dropped reply: the server ran the call, the caller times out not knowing", arguments: [TestTransport.inProcess, .unixMutualTLS])
    func dropReply(_ transport: TestTransport) async throws {
        try await self.withFaults("drop-reply echo/Say #2", on: transport) { client, injector, seen, _ in
            let reply1 = try await Self.say(client, "one")
            #expect(reply1 == "one")
            let error = await #expect(throws: RPCError.self) { try await Self.say(client, "two", timeout: .seconds(1)) }
            #expect(error?.code == .deadlineExceeded)
            #expect(error?.outcome == .unknown)
            let reply2 = try await Self.say(client, "three")
            #expect(reply2 == "three")
            #expect(seen.all == ["one", "two", "three"])
            #expect(injector.events.map(\.description) == ["drop-reply echo/Say #2 → aftercare.echo.v1.Echo/Say #2"])
        }
    }

    @Test("a dropped request: the server never ran it")
    func dropRequest() async throws {
        try await self.withFaults("drop-request */Say #1") { client, _, seen, _ in
            // Connect first, so the deadline below runs only while the request is lost.
            _ = try await client.unary(BuiltinMethods.health, .init())
            let error = await #expect(throws: RPCError.self) { try await Self.say(client, "lost", timeout: .seconds(1)) }
            #expect(error?.code == .deadlineExceeded)
            let reply3 = try await Self.say(client, "kept")
            #expect(reply3 == "kept")
            #expect(seen.all == ["kept"])
        }
    }

    @Test("a garbled request is refused by the server, not run; the next call goes through")
    func garbleRequest() async throws {
        try await self.withFaults("garble-request echo/Say #1") { client, injector, seen, _ in
            let error = await #expect(throws: RPCError.self) { try await Self.say(client, "garbled") }
            #expect(error?.code == .invalidArgument)
            #expect(error?.outcome == .notExecuted)
            let reply = try await Self.say(client, "clear")
            #expect(reply == "clear")
            #expect(seen.all == ["clear"])
            #expect(injector.events.map(\.description) == ["garble-request echo/Say #1 → aftercare.echo.v1.Echo/Say #1"])
        }
    }

    @Test("a held request reaches the server only after the call that releases it, long after its caller gave up")
    func holdRequest() async throws {
        try await self.withFaults("hold-request echo/Say #1 until echo/Say #2") { client, _, seen, _ in
            // Connect first, so the short deadline below runs only while the request is held.
            _ = try await client.unary(BuiltinMethods.health, .init())
            let error = await #expect(throws: RPCError.self) { try await Self.say(client, "late", timeout: .milliseconds(300)) }
            #expect(error?.code == .deadlineExceeded)
            #expect(seen.all.isEmpty)
            let reply = try await Self.say(client, "releases")
            #expect(reply == "releases")
            // The held call arrives right after; its reply is nobody's. The connection carries on.
            for _ in 0..<1000 where seen.all.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(seen.all == ["releases", "late"])
            #expect(try await Self.say(client, "after") == "after")
        }
    }

    @Test("a duplicated call reaches the server twice with the same saga context and key; the caller sees one reply")
    func duplicate() async throws {
        try await self.withFaults("duplicate echo/Say #1") { client, _, seen, _ in
            let trace = TraceParent.random()
            let saga = SagaContext(sagaID: "sg_dup", step: "refund", direction: .forward, attempt: 1)
            let response = try await client.unary(EchoService.say, Echo.say("twice"), options: .init(traceParent: trace, saga: saga))
            #expect(response.text == "twice")
            let spans = try await Echo.spans(of: trace.traceID, from: client) { $0.count == 2 }
            #expect(spans.count == 2)
            #expect(Set(spans.map(\.idempotencyKey)) == ["sg_dup/refund/forward"])
            #expect(Set(spans.map(\.saga.sagaID)) == ["sg_dup"])
            #expect(seen.all == ["twice", "twice"])
            let reply4 = try await Self.say(client, "once")
            #expect(reply4 == "once")
            #expect(seen.all.count == 3)
        }
    }

    @Test("delays hold the request or the reply back", arguments: ["delay-request echo/Say #1 300ms", "delay-reply echo/Say #1 300ms"])
    func delays(_ plan: String) async throws {
        try await self.withFaults(plan) { client, _, _, _ in
            let started = ContinuousClock.now
            let reply5 = try await Self.say(client, "late")
            #expect(reply5 == "late")
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }

    @Test("a reordered call reaches the server after the next one; each caller gets its own reply")
    func reorder() async throws {
        try await self.withFaults("reorder echo/Say #1") { client, injector, _, _ in
            let (firstTrace, secondTrace) = (TraceParent.random(), TraceParent.random())
            let first = Task { try await Self.say(client, "first", trace: firstTrace) }
            // The injector logs the fault as it holds the first call back.
            while injector.events.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            let second = try await Self.say(client, "second", trace: secondTrace)
            #expect(second == "second")
            let firstReply = try await first.value
            #expect(firstReply == "first")
            // A span starts when the server reads its CALL: the second call was read first.
            let firstSpan = try #require(try await Echo.spans(of: firstTrace.traceID, from: client) { !$0.isEmpty }.first)
            let secondSpan = try #require(try await Echo.spans(of: secondTrace.traceID, from: client) { !$0.isEmpty }.first)
            #expect(secondSpan.startUnixMicros <= firstSpan.startUnixMicros)
        }
    }

    @Test("a cut connection fails its calls; the client reconnects for the next", arguments: [TestTransport.inProcess, .tcp])
    func cutConnection(_ transport: TestTransport) async throws {
        try await self.withFaults("cut-after 400 #1", on: transport) { client, injector, _, _ in
            var failures = 0
            var successes = 0
            for index in 0..<10 {
                do {
                    _ = try await Self.say(client, "call \(index)")
                    successes += 1
                } catch let error as RPCError {
                    #expect(error.code == .unavailable)
                    failures += 1
                }
            }
            #expect(failures >= 1)
            #expect(successes >= 8)
            #expect(injector.events.map(\.description) == ["cut-after 400 #1 → connection #1"])
        }
    }
}
