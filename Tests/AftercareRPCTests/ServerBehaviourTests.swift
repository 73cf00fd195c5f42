import AftercareEcho
import AftercareRPC
import AftercareTesting
import AftercareWire
import Testing

/// The server's checks and limits, in process.
@Suite("Server behaviour")
struct ServerBehaviourTests {
    @Test("calls over the per-connection limit are refused, not executed, with a retry hint")
    func concurrencyLimit() async throws {
        let probe = ProbeService()
        var limits = WireLimits.defaults
        limits.maxConcurrentCalls = 2
        try await TestSystem.run(on: .inProcess, services: [probe], configuration: .init(name: "probe", limits: limits)) { system in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask { _ = try? await system.client.unary(ProbeService.wait, .init()) }
                }
                try await probe.eventually { $0.started == 2 }
                let error = await #expect(throws: RPCError.self) { try await system.client.unary(ProbeService.wait, .init()) }
                #expect(error?.code == .resourceExhausted)
                #expect(error?.outcome == .notExecuted)
                #expect(error?.retryAfter == .milliseconds(50))
                #expect(probe.started == 2)
                group.cancelAll()
            }
        }
    }

    @Test("calls over the server-wide limit are refused, not executed")
    func totalLimit() async throws {
        let probe = ProbeService()
        try await TestSystem.run(on: .inProcess, services: [probe], configuration: .init(name: "probe", maxConcurrentCallsTotal: 1)) { system in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try? await system.client.unary(ProbeService.wait, .init()) }
                try await probe.eventually { $0.started == 1 }
                let error = await #expect(throws: RPCError.self) { try await system.client.unary(ProbeService.wait, .init()) }
                #expect(error?.code == .resourceExhausted)
                #expect(error?.outcome == .notExecuted)
                group.cancelAll()
            }
        }
    }

    @Test("a handler can say its refusal changed nothing")
    func notExecutedRefusal() async throws {
        try await TestSystem.run(on: .inProcess, services: [ProbeService()], configuration: .init(name: "probe")) { system in
            let error = await #expect(throws: RPCError.self) { try await system.client.unary(ProbeService.refuse, .init()) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message == "field order_id is empty")
            #expect(error?.outcome == .notExecuted)
        }
    }

    @Test("an identity not on a method's allow-list is denied; one on it is served")
    func allowList() async throws {
        try await TestSystem.run(on: .inProcess, services: [ProbeService()], configuration: .init(name: "probe")) { system in
            _ = try await system.client.unary(ProbeService.guarded, .init())
            let error = try await system.withClient(as: "buyer-app") { client in
                await #expect(throws: RPCError.self) { try await client.unary(ProbeService.guarded, .init()) }
            }
            #expect(error?.code == .permissionDenied)
            #expect(error?.outcome == .notExecuted)
            #expect(error?.message.contains("name:buyer-app.aftercare.internal") == true)
        }
    }

    @Test("configured allow-lists replace what the service registered")
    func configuredAllowList() async throws {
        let configuration = RPCServer.Configuration(
            name: "probe", methodAllowLists: ["test.Probe/Guarded": ["name:buyer-app.aftercare.internal"]])
        try await TestSystem.run(on: .inProcess, services: [ProbeService()], configuration: configuration) { system in
            let error = await #expect(throws: RPCError.self) { try await system.client.unary(ProbeService.guarded, .init()) }
            #expect(error?.code == .permissionDenied)
            try await system.withClient(as: "buyer-app") { client in
                _ = try await client.unary(ProbeService.guarded, .init())
            }
        }
    }

    @Test("a request larger than the server accepts is refused before it runs")
    func oversizedRequest() async throws {
        var limits = WireLimits.defaults
        limits.maxMessageSize = 100_000
        try await TestSystem.run(on: .inProcess, configuration: .init(name: "echo", limits: limits)) { system in
            let error = await #expect(throws: RPCError.self) {
                try await system.client.unary(EchoService.say, Echo.say("big", payload: Array(repeating: 1, count: 200_000)))
            }
            #expect(error?.code == .resourceExhausted)
            #expect(error?.outcome == .notExecuted)
        }
    }

    @Test("a server stream that outruns a slow reader is held to the reader's window")
    func flowControl() async throws {
        let probe = ProbeService()
        var clientLimits = WireLimits.defaults
        clientLimits.initialStreamWindow = 8
        let clientConfiguration = RPCClient.Configuration(name: "slow-reader", limits: clientLimits)
        try await TestSystem.run(
            on: .inProcess, services: [probe], configuration: .init(name: "probe"), clientConfiguration: clientConfiguration
        ) { system in
            let maxAhead = try await system.client.serverStreaming(ProbeService.flood, .init()) { stream in
                var read = 0
                var maxAhead = 0
                for try await _ in stream {
                    read += 1
                    try await Task.sleep(for: .milliseconds(2))
                    maxAhead = max(maxAhead, probe.sent - read)
                    if read == 100 { break }
                }
                return maxAhead
            }
            #expect(maxAhead <= 8)
            #expect(maxAhead >= 1)
            #expect(probe.sent < 200)
        }
    }

    @Test("graceful shutdown lets calls in flight finish")
    func drainFinishesInFlightCalls() async throws {
        let probe = ProbeService(waitFor: .milliseconds(300))
        try await TestSystem.run(on: .inProcess, services: [probe], configuration: .init(name: "probe")) { system in
            let call = Task { try await system.client.unary(ProbeService.wait, .init()) }
            try await probe.eventually { $0.started == 1 }
            system.server.beginGracefulShutdown()
            _ = try await call.value
            #expect(probe.finished == 1)
            #expect(probe.cancelled == 0)
            let error = await #expect(throws: RPCError.self) { try await system.client.unary(ProbeService.wait, .init()) }
            #expect(error?.code == .unavailable)
            #expect(error?.outcome == .notExecuted)
        }
    }

    @Test("calls still running at the drain deadline are cancelled and come back unknown")
    func drainDeadline() async throws {
        let probe = ProbeService()
        try await TestSystem.run(
            on: .inProcess, services: [probe], configuration: .init(name: "probe", drainTimeout: .milliseconds(200))
        ) { system in
            let call = Task { try await system.client.unary(ProbeService.wait, .init()) }
            try await probe.eventually { $0.started == 1 }
            system.server.beginGracefulShutdown()
            let error = await #expect(throws: RPCError.self) { try await call.value }
            #expect(error?.code == .unavailable)
            #expect(error?.outcome == .unknown)
            #expect(probe.cancelled == 1)
        }
    }
}

/// Deadlines and cancellation reach the handler as task cancellation.
@Suite("Handler cancellation")
struct HandlerCancellationTests {
    @Test("a call's deadline cancels its handler")
    func deadline() async throws {
        let probe = ProbeService()
        try await TestSystem.run(on: .inProcess, services: [probe], configuration: .init(name: "probe")) { system in
            // A generous deadline: on a loaded 2-core machine the handler may take a while to start.
            let call = Task { try await system.client.unary(ProbeService.wait, .init(), options: .init(timeout: .seconds(4))) }
            try await probe.eventually { $0.started == 1 }
            #expect(probe.started == 1)
            let error = await #expect(throws: RPCError.self) { try await call.value }
            #expect(error?.code == .deadlineExceeded)
            try await probe.eventually { $0.cancelled == 1 }
            #expect(probe.cancelled == 1)
            #expect(probe.finished == 0)
        }
    }

    @Test("a caller that gives up cancels the handler")
    func callerGivesUp() async throws {
        let probe = ProbeService()
        try await TestSystem.run(on: .inProcess, services: [probe], configuration: .init(name: "probe")) { system in
            let call = Task { try await system.client.unary(ProbeService.wait, .init()) }
            try await probe.eventually { $0.started == 1 }
            call.cancel()
            let error = await #expect(throws: RPCError.self) { try await call.value }
            #expect(error?.code == .cancelled)
            #expect(error?.outcome == .unknown)
            try await probe.eventually { $0.cancelled == 1 }
            #expect(probe.cancelled == 1)
            #expect(probe.finished == 0)
        }
    }
}
