import AftercareEcho
import AftercareInProcess
import AftercareRPC
import AftercareTesting
import AftercareWire
import Testing

/// Keep-alive: a quiet connection with calls open is pinged; an unanswered PING closes it.
@Suite("Client keep-alive")
struct ClientKeepaliveTests {
    private static let quick = RPCClient.Configuration(
        name: "t", keepaliveInterval: .milliseconds(200), keepaliveTimeout: .seconds(1))

    @Test("a server that stops answering is detected and the open call ends unknown")
    func silentServer() async throws {
        let transport = InProcessTransport()
        let client = RPCClient(transport: transport.client(), configuration: Self.quick, logger: .test("keepalive"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Answers HELLO, then reads everything and answers nothing, PINGs included.
                try await transport.server.listenScripted { frame, reply in
                    if frame.type == .hello { reply.send(.hello(HelloFields(peerName: "silent", build: "0"))) }
                }
            }
            group.addTask { try await client.run() }
            let started = ContinuousClock.now
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(EchoService.say, Echo.say("x"), options: .init(timeout: .seconds(20)))
            }
            #expect(error?.code == .unavailable)
            #expect(error?.outcome == .unknown)
            #expect(ContinuousClock.now - started < .seconds(10))
            client.beginGracefulShutdown()
            transport.server.beginGracefulShutdown()
            try await group.waitForAll()
        }
    }

    @Test("a server that answers PINGs keeps a slow call's connection")
    func answeringServer() async throws {
        try await TestSystem.run(on: .inProcess, clientConfiguration: Self.quick) { system in
            let response = try await system.client.unary(EchoService.say, Echo.say("slow", sleepMs: 1_500))
            #expect(response.text == "slow")
        }
    }
}

/// Deadlines of calls still waiting for their connection.
@Suite("Client deadlines before connecting")
struct ClientConnectDeadlineTests {
    @Test("a call waiting for a server that never answers HELLO ends at its deadline, not executed")
    func silentHandshake() async throws {
        let transport = InProcessTransport()
        let client = RPCClient(
            transport: transport.client(), configuration: .init(name: "t", connectTimeout: .milliseconds(500)), logger: .test("deadline"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Reads everything, answers nothing: the handshake never completes.
                try await transport.server.listenScripted { _, _ in }
            }
            group.addTask { try await client.run() }
            let started = ContinuousClock.now
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(EchoService.say, Echo.say("x"), options: .init(timeout: .milliseconds(300)))
            }
            #expect(error?.code == .deadlineExceeded)
            #expect(error?.outcome == .notExecuted)
            #expect(ContinuousClock.now - started < .seconds(3))
            client.beginGracefulShutdown()
            transport.server.beginGracefulShutdown()
            try await group.waitForAll()
        }
    }
}
