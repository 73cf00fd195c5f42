import AftercareEcho
import AftercareInProcess
import AftercareRPC
import AftercareTesting
import AftercareWire
import NIOCore
import Testing

/// What the server does with peers that break WIRE.md: the connection closes with CONN_ERROR,
/// or a single call is refused while the connection stays.
@Suite("Protocol violations")
struct ProtocolViolationTests {
    /// Runs a probe server in process and hands `body` a raw connection to it.
    private func withRawConnection(
        configuration: RPCServer.Configuration = .init(name: "probe"),
        probe: ProbeService = ProbeService(),
        _ body: @escaping @Sendable (RawConnection, RPCServer) async throws -> Void
    ) async throws {
        try await TestSystem.run(on: .inProcess, services: [probe, EchoService()], configuration: configuration) { system in
            let transport = try await system.endpoint.clientTransport(.inProcess, clientName: "gateway", serverName: "probe")
            try await transport.withRawConnection { raw in try await body(raw, system.server) }
        }
    }

    private static func call(_ streamID: UInt32, method: String = "aftercare.echo.v1.Echo/Say", ext: ByteBuffer? = nil) -> Frame {
        var frame = Frame.call(streamID: streamID, fields: CallFields(method: method), payload: ByteBuffer())
        if let ext { frame.ext = ext }
        return frame
    }

    @Test("a CALL before HELLO closes the connection with PROTOCOL_ERROR")
    func callBeforeHello() async throws {
        try await self.withRawConnection { raw, _ in
            try await raw.send(Self.call(1))
            let frames = try await raw.readUntilClosed()
            let error = try #require(frames.last).connectionErrorBody()
            #expect(error.code == .protocolError)
            #expect(error.text == "expected HELLO, got CALL")
        }
    }

    @Test("a HELLO with another major version fails with a clear UNSUPPORTED_VERSION")
    func unsupportedVersion() async throws {
        try await self.withRawConnection { raw, _ in
            try await raw.send(.hello(HelloFields(version: ProtocolVersion(major: 2, minor: 0), peerName: "future", build: "9")))
            let frames = try await raw.readUntilClosed()
            #expect(frames.count == 1)
            let error = try #require(frames.first).connectionErrorBody()
            #expect(error.code == .unsupportedVersion)
            #expect(error.text == "probe speaks protocol 1.x, the client sent 2.0")
        }
    }

    @Test("a client speaking another version fails at connect, saying why")
    func clientVersionMismatch() async throws {
        try await TestSystem.run(on: .inProcess) { system in
            var configuration = RPCClient.Configuration(name: "future-client")
            configuration.protocolVersion = ProtocolVersion(major: 2, minor: 1)
            let error = try await system.withClient(as: "gateway", configuration: configuration) { client in
                await #expect(throws: RPCError.self) { try await client.unary(EchoService.say, Echo.say("x")) }
            }
            #expect(error?.code == .unavailable)
            #expect(error?.outcome == .notExecuted)
            #expect(error?.message.contains("UNSUPPORTED_VERSION: aftercare-echo speaks protocol 1.x, the client sent 2.1") == true)
        }
    }

    @Test("a second HELLO, a stream id going backwards, and a frame for a never-opened stream are protocol errors",
          arguments: [
            [Frame.hello(HelloFields(peerName: "a", build: "b"))],
            [ProtocolViolationTests.call(5), ProtocolViolationTests.call(3)],
            [ProtocolViolationTests.call(2)],
            [Frame.credit(streamID: 9, increment: 1)],
            [Frame.drain(DrainBody(lastStreamID: 1, reason: .shutdown, deadlineMs: 1))],
          ])
    func connectionErrors(_ frames: [Frame]) async throws {
        try await self.withRawConnection { raw, _ in
            try await raw.send(RawConnection.hello)
            for frame in frames { try await raw.send(frame) }
            let received = try await raw.readUntilClosed()
            let error = try #require(received.last { $0.type == .connectionError }).connectionErrorBody()
            #expect(error.code == .protocolError)
        }
    }

    @Test("no HELLO in time closes the connection with HELLO_TIMEOUT")
    func helloTimeout() async throws {
        try await self.withRawConnection(configuration: .init(name: "probe", helloTimeout: .milliseconds(100))) { raw, _ in
            let frames = try await raw.readUntilClosed()
            #expect(try #require(frames.last).connectionErrorBody().code == .helloTimeout)
        }
    }

    @Test("a bad CALL field fails that call only, naming the field; the connection goes on")
    func badCallField() async throws {
        try await self.withRawConnection { raw, _ in
            var ext = ByteBuffer()
            CallFields(method: "aftercare.echo.v1.Echo/Say").write(to: &ext)
            TLV.write(tag: 0x8009, value: [1, 2], to: &ext)
            try await raw.send(RawConnection.hello, Self.call(1, ext: ext), Self.call(3), .ping(42))
            let frames = try await raw.waitFor { frames, _ in
                frames.filter { $0.type == .end }.count == 2 && frames.contains { $0.type == .ping }
            }
            let ends = try frames.filter { $0.type == .end }.map { ($0.streamID, try $0.endBody()) }
            let refused = try #require(ends.first { $0.0 == 1 }?.1)
            #expect(refused.status == RPCError.Code.invalidArgument.rawValue)
            #expect(refused.outcome == CallOutcome.notExecuted.rawValue)
            #expect(refused.message.contains("0x8009"))
            #expect(ends.first { $0.0 == 3 }?.1.status == 0)
            #expect(frames.contains { $0.type == .ping && $0.flags.contains(.ack) && $0.pingData() == 42 })
        }
    }

    @Test("call metadata above the limit is RESOURCE_EXHAUSTED, not executed")
    func metadataTooLarge() async throws {
        try await TestSystem.run(on: .inProcess) { system in
            var metadata = Metadata()
            for index in 0..<200 { metadata.add("key-\(index)", String(repeating: "v", count: 60)) }
            let error = await #expect(throws: RPCError.self) {
                try await system.client.unary(EchoService.say, Echo.say("x"), options: .init(metadata: metadata))
            }
            #expect(error?.code == .resourceExhausted)
            #expect(error?.outcome == .notExecuted)
        }
    }

    @Test("a reserved metadata key is refused before sending, naming the key")
    func reservedMetadataKey() async throws {
        try await TestSystem.run(on: .inProcess) { system in
            let error = await #expect(throws: RPCError.self) {
                try await system.client.unary(EchoService.say, Echo.say("x"), options: .init(metadata: ["actor": "someone"]))
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.outcome == .notExecuted)
            #expect(error?.message.contains("\"actor\" is reserved") == true)
        }
    }

    @Test("after DRAIN the server finishes accepted calls and refuses later ones as not executed")
    func serverDrain() async throws {
        let probe = ProbeService()
        try await self.withRawConnection(configuration: .init(name: "probe", drainTimeout: .seconds(2)), probe: probe) { raw, server in
            try await raw.send(RawConnection.hello, Self.call(1, method: "test.Probe/Wait"))
            try await probe.eventually { $0.started == 1 }
            server.beginGracefulShutdown()
            try await raw.waitFor { frames, _ in frames.contains { $0.type == .drain } }
            try await raw.send(Self.call(3))
            let frames = try await raw.readUntilClosed(timeout: .seconds(20))
            let drain = try #require(frames.first { $0.type == .drain }).drainBody()
            #expect(drain.lastStreamID == 1)
            let late = try #require(frames.first { $0.type == .end && $0.streamID == 3 }).endBody()
            #expect(late.status == RPCError.Code.unavailable.rawValue)
            #expect(late.outcome == CallOutcome.notExecuted.rawValue)
            let cut = try #require(frames.first { $0.type == .end && $0.streamID == 1 }).endBody()
            #expect(cut.status == RPCError.Code.unavailable.rawValue)
            #expect(cut.outcome == CallOutcome.unknown.rawValue)
        }
    }
}

extension ProtocolViolationTests {
    @Test("requests left half-sent count against the concurrency limit")
    func pendingFragmentsAreBounded() async throws {
        var limits = WireLimits.defaults
        limits.maxConcurrentCalls = 2
        try await self.withRawConnection(configuration: .init(name: "probe", limits: limits)) { raw, _ in
            try await raw.send(RawConnection.hello)
            for streamID in stride(from: UInt32(1), through: 5, by: 2) {
                try await raw.send(.call(streamID: streamID, fields: CallFields(method: "aftercare.echo.v1.Echo/Say"),
                                         payload: ByteBuffer(bytes: [0x0a]), flags: .more))
            }
            let frames = try await raw.waitFor { frames, _ in frames.contains { $0.type == .end } }
            let end = try #require(frames.first { $0.type == .end })
            #expect(end.streamID == 5)
            let body = try end.endBody()
            #expect(body.status == RPCError.Code.resourceExhausted.rawValue)
            #expect(body.outcome == CallOutcome.notExecuted.rawValue)
        }
    }
}
