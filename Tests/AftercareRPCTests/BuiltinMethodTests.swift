import AftercareEcho
import AftercareInProcess
import AftercareRPC
import AftercareTesting
import AftercareWire
import Logging
import Testing

/// Health, method listing and spans, which every server answers.
@Suite("Built-in methods")
struct BuiltinMethodTests {
    @Test("health names the server and runs its checks")
    func health() async throws {
        try await TestSystem.run(on: .inProcess, configuration: .init(name: "aftercare-echo", build: "1.2.3")) { system in
            let health = try await system.client.unary(BuiltinMethods.health, .init())
            #expect(health.status == .serving)
            #expect(health.service == "aftercare-echo")
            #expect(health.build == "1.2.3")
        }
    }

    @Test("a failing health check makes the server not serving, with the reason")
    func failingCheck() async throws {
        struct DiskFull: Error, CustomStringConvertible { var description: String { "database: disk full" } }
        let logger = Logger.test("health")
        let transport = InProcessTransport()
        let server = RPCServer(
            transports: [transport.server], services: [], configuration: .init(name: "x"),
            healthChecks: [HealthCheck(name: "database") { throw DiskFull() }], logger: logger)
        let client = RPCClient(transport: transport.client(), configuration: .init(name: "t"), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            group.addTask { try await client.run() }
            let health = try await client.unary(BuiltinMethods.health, .init())
            #expect(health.status == .notServing)
            #expect(health.checks.first?.ok == false)
            #expect(health.checks.first?.detail == "database: disk full")
            client.beginGracefulShutdown()
            server.beginGracefulShutdown()
        }
    }

    @Test("the method listing names every method with its kind and types")
    func listMethods() async throws {
        try await TestSystem.run(on: .inProcess) { system in
            let methods = try await system.client.unary(BuiltinMethods.listMethods, .init()).methods
            let names = methods.map(\.name)
            #expect(names.contains("aftercare.echo.v1.Echo/Say"))
            #expect(names.contains("aftercare.common.v1.Server/Health"))
            let stream = try #require(methods.first { $0.name == "aftercare.echo.v1.Echo/Stream" })
            #expect(stream.kind == .serverStreaming)
            #expect(stream.requestType == "aftercare.echo.v1.EchoStreamRequest")
        }
    }

    @Test("every call served is a span with method, caller, saga context, status and outcome")
    func spans() async throws {
        try await TestSystem.run(on: .inProcess) { system in
            let trace = TraceParent.random()
            let saga = SagaContext(sagaID: "sg_9", step: "refund", direction: .forward, attempt: 2)
            _ = try await system.client.unary(EchoService.say, Echo.say("a"), options: .init(traceParent: trace, saga: saga, actor: "buyer:b_9"))
            _ = try? await system.client.unary(EchoService.say, Echo.say("b", failCode: 5), options: .init(traceParent: trace))
            let spans = try await Echo.spans(of: trace.traceID, from: system.client) { $0.count == 2 }
            #expect(spans.count == 2)
            let first = try #require(spans.first { $0.statusCode == 0 })
            #expect(first.method == "aftercare.echo.v1.Echo/Say")
            #expect(first.service == "aftercare-echo")
            #expect(first.caller == "name:gateway.aftercare.internal")
            #expect(first.parentSpanID == hex16(trace.parentID))
            #expect(first.saga.sagaID == "sg_9")
            #expect(first.saga.step == "refund")
            #expect(first.saga.attempt == 2)
            #expect(first.idempotencyKey == "sg_9/refund/forward")
            #expect(first.actor == "buyer:b_9")
            #expect(first.outcome == .executed)
            let second = try #require(spans.first { $0.statusCode == 5 })
            #expect(second.outcome == .executed)
        }
    }

    @Test("a span query with a malformed trace id is INVALID_ARGUMENT naming the field")
    func badTraceID() async throws {
        try await TestSystem.run(on: .inProcess) { system in
            var request = Aftercare_Common_V1_QuerySpansRequest()
            request.traceID = "xyz"
            let error = await #expect(throws: RPCError.self) { try await system.client.unary(BuiltinMethods.querySpans, request) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains("trace_id") == true)
        }
    }

    @Test("the in-memory span store keeps at most its capacity, dropping the oldest")
    func spanStoreBound() async throws {
        let store = InMemorySpanStore(capacity: 3)
        let trace = TraceID.random()
        for index in 0..<5 {
            store.record(SpanRecord(
                traceID: trace, spanID: UInt64(index + 1), service: "s", method: "m", caller: "c",
                startUnixMicros: 0, durationMicros: 0, status: .ok, outcome: .executed))
        }
        let kept = try await store.spans(traceID: trace, limit: 10).map(\.spanID)
        #expect(kept == [3, 4, 5])
        #expect(store.count == 3)
    }
}
