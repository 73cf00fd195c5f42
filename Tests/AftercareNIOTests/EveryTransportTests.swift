import AftercareEcho
import AftercareRPC
import AftercareTesting
import AftercareWire
import Foundation
import Synchronization
import Testing

/// The core call scenarios, on every transport: in process, Unix socket and TCP, each plaintext,
/// TLS and mutual TLS.
@Suite("Calls over every transport")
struct EveryTransportTests {
    @Test("a unary call delivers the request, trace, saga context, actor and metadata", arguments: TestTransport.allCases)
    func unaryCarriesEverything(_ transport: TestTransport) async throws {
        try await TestSystem.run(on: transport) { system in
            let trace = TraceParent.random()
            let options = CallOptions(
                timeout: .seconds(5),
                traceParent: trace,
                saga: SagaContext(sagaID: "sg_1", step: "reserve", direction: .compensate, attempt: 3),
                actor: "buyer:b_1",
                metadata: ["tenant": "acme"]
            )
            let response = try await system.client.unary(EchoService.say, Echo.say("hi", payload: [0, 1, 2]), options: options)
            #expect(response.text == "hi")
            #expect(Array(response.payload) == [0, 1, 2])
            #expect(response.traceID == "\(trace.traceID)")
            #expect(response.saga == "sg_1/reserve/compensate/3")
            #expect(response.idempotencyKey == "sg_1/reserve/compensate")
            #expect(response.actor == "buyer:b_1")
            #expect(response.metadata == ["tenant": "acme"])
            let principals = Set(response.caller.split(separator: ",").map(String.init))
            if transport.isMutual || transport == .inProcess {
                #expect(principals.contains("name:gateway.aftercare.internal"))
            } else {
                #expect(!principals.contains { $0.hasPrefix("name:") })
            }
            if transport.isUnix {
                #expect(principals.contains("uid:\(getuid())"))
                #expect(principals.contains("gid:\(getgid())"))
            }
        }
    }

    @Test("a server stream delivers every message in order", arguments: TestTransport.allCases)
    func serverStream(_ transport: TestTransport) async throws {
        try await TestSystem.run(on: transport) { system in
            let indices = try await system.client.serverStreaming(EchoService.stream, Echo.stream(200, payloadSize: 1_000)) { stream in
                var indices: [UInt32] = []
                for try await message in stream {
                    #expect(message.payload.count == 1_000)
                    indices.append(message.index)
                }
                return indices
            }
            #expect(indices == Array(0..<200))
        }
    }

    @Test("messages larger than a frame travel in fragments both ways", arguments: TestTransport.allCases)
    func largeMessages(_ transport: TestTransport) async throws {
        try await TestSystem.run(on: transport) { system in
            let payload = Self.largePayload
            let response = try await system.client.unary(EchoService.say, Echo.say("big", payload: payload))
            #expect(response.payload == Data(payload))
        }
    }

    /// 3,000,000 bytes that are not all alike, made once: made per test in an unoptimized build, a
    /// byte at a time, it held a thread of the concurrency pool for a second and stalled other
    /// tests' calls.
    private static let largePayload: [UInt8] = {
        let pattern = (0..<256).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(3_000_000)
        while bytes.count < 3_000_000 { bytes.append(contentsOf: pattern.prefix(3_000_000 - bytes.count)) }
        return bytes
    }()

    @Test("1,000 concurrent calls share one connection", arguments: TestTransport.allCases)
    func thousandConcurrentCalls(_ transport: TestTransport) async throws {
        try await TestSystem.run(on: transport) { system in
            let texts = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<1_000 {
                    group.addTask {
                        try await system.client.unary(EchoService.say, Echo.say("call \(index)"), options: .init(timeout: .seconds(30))).text
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(texts == Set((0..<1_000).map { "call \($0)" }))
        }
    }

    @Test("a handler's error comes back with its status and outcome executed", arguments: TestTransport.allCases)
    func handlerError(_ transport: TestTransport) async throws {
        try await TestSystem.run(on: transport) { system in
            let error = await #expect(throws: RPCError.self) {
                try await system.client.unary(EchoService.say, Echo.say("x", failCode: 9, failMessage: "refused"))
            }
            #expect(error?.code == .failedPrecondition)
            #expect(error?.message == "refused")
            #expect(error?.outcome == .executed)
        }
    }

    @Test("an unknown method is UNIMPLEMENTED and not executed", arguments: TestTransport.allCases)
    func unknownMethod(_ transport: TestTransport) async throws {
        try await TestSystem.run(on: transport) { system in
            let nope = MethodDescriptor<Aftercare_Echo_V1_EchoRequest, Aftercare_Echo_V1_EchoResponse>("aftercare.echo.v1.Echo/Nope")
            let error = await #expect(throws: RPCError.self) { try await system.client.unary(nope, Echo.say("x")) }
            #expect(error?.code == .unimplemented)
            #expect(error?.outcome == .notExecuted)
            #expect(error?.message.contains("aftercare.echo.v1.Echo/Nope") == true)
        }
    }

    @Test("an exceeded deadline cancels the handler and comes back unknown", arguments: TestTransport.allCases)
    func deadlineExceeded(_ transport: TestTransport) async throws {
        try await TestSystem.run(on: transport) { system in
            _ = try await system.client.unary(EchoService.say, Echo.say("connect first"))
            let trace = TraceParent.random()
            let started = ContinuousClock.now
            let error = await #expect(throws: RPCError.self) {
                try await system.client.unary(
                    EchoService.say, Echo.say("slow", sleepMs: 10_000), options: .init(timeout: .milliseconds(500), traceParent: trace))
            }
            #expect(error?.code == .deadlineExceeded)
            #expect(error?.outcome == .unknown)
            #expect(ContinuousClock.now - started < .seconds(5))
            // The server stopped the handler: its span ends long before the 10 s sleep would.
            let spans = try await Echo.spans(of: trace.traceID, from: system.client) { !$0.isEmpty }
            let span = try #require(spans.first)
            #expect(span.statusCode == UInt32(RPCError.Code.deadlineExceeded.rawValue))
            #expect(span.outcome == .unknown)
            #expect(span.durationMicros < 5_000_000)
        }
    }

    @Test("a cancelled caller task sends CANCEL; the handler stops", arguments: TestTransport.allCases)
    func callerCancellation(_ transport: TestTransport) async throws {
        let started = Mutex<Set<String>>([])
        try await TestSystem.run(on: transport, services: [EchoService { text in started.withLock { _ = $0.insert(text) } }]) { system in
            _ = try await system.client.unary(EchoService.say, Echo.say("connect first"))
            let trace = TraceParent.random()
            let call = Task {
                try await system.client.unary(
                    EchoService.say, Echo.say("slow", sleepMs: 10_000), options: .init(timeout: .seconds(30), traceParent: trace))
            }
            while !started.withLock({ $0.contains("slow") }) { try await Task.sleep(for: .milliseconds(5)) }
            call.cancel()
            let error = await #expect(throws: RPCError.self) { try await call.value }
            #expect(error?.code == .cancelled)
            #expect(error?.outcome == .unknown)
            let spans = try await Echo.spans(of: trace.traceID, from: system.client) { !$0.isEmpty }
            let span = try #require(spans.first)
            #expect(span.statusCode == UInt32(RPCError.Code.cancelled.rawValue))
            #expect(span.durationMicros < 5_000_000)
        }
    }
}
