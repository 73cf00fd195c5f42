@testable import AftercareRPC
import AftercareTesting
import AftercareWire
import NIOCore
import NIOEmbedded
import Testing

/// The server's connection handler in a test channel, frame by frame: every END the protocol
/// promises arrives, and connections that do not finish their handshake are not held.
@Suite("Server connection handler")
struct ServerHandlerTests {
    private struct Harness {
        let channel: NIOAsyncTestingChannel
        let wire: FrameWire
        let probe: ProbeService
        let unauthenticated: UnauthenticatedConnections
    }

    private static func harness(
        configuration: RPCServer.Configuration = .init(name: "probe", drainTimeout: .milliseconds(200)),
        unauthenticated: UnauthenticatedConnections = UnauthenticatedConnections(limit: 8, limitPerUID: 8),
        hello: Bool = true
    ) async throws -> Harness {
        let probe = ProbeService()
        var router = RPCRouter()
        router.add(probe)
        let runtime = ServerRuntime(
            configuration: configuration, router: router, interceptors: [], limiter: CallLimiter(limit: 100),
            requestMemory: RequestMemory(limit: 1 << 24), spans: InMemorySpanStore(),
            metrics: ServerMetrics(service: "probe", methods: router.routes.keys), logger: .test("handler"))
        let channel = NIOAsyncTestingChannel()
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.addHandler(ServerConnectionHandler(
                runtime: runtime, peer: .anonymous, label: "test", connections: ServerConnections(), unauthenticated: unauthenticated))
        }
        let wire = FrameWire(channel)
        if hello {
            try await wire.send(Frame.hello(HelloFields(peerName: "t", build: "0")))
            let answer = try await wire.next()
            #expect(answer.type == .hello)
        }
        return Harness(channel: channel, wire: wire, probe: probe, unauthenticated: unauthenticated)
    }

    private static func call(_ id: UInt32, _ method: String, timeoutMicros: UInt64? = nil) -> Frame {
        var fields = CallFields(method: method)
        fields.timeoutMicros = timeoutMicros
        return .call(streamID: id, fields: fields, payload: ByteBuffer())
    }

    private static func nextEnd(_ wire: FrameWire) async throws -> (UInt32, EndBody) {
        while true {
            let frame = try await wire.next()
            if frame.type == .end { return (frame.streamID, try frame.endBody()) }
        }
    }

    @Test("after CANCEL, END CANCELLED with outcome unknown arrives once the handler has stopped")
    func endAfterCancel() async throws {
        let harness = try await Self.harness()
        try await harness.wire.send(Self.call(1, ProbeService.wait.fullName))
        try await harness.probe.eventually { $0.started == 1 }
        try await harness.wire.send(Frame.cancel(streamID: 1, reason: .cancelledByCaller))
        let (streamID, end) = try await Self.nextEnd(harness.wire)
        #expect(streamID == 1)
        #expect(end.status == RPCError.Code.cancelled.rawValue)
        #expect(end.outcome == CallOutcome.unknown.rawValue)
        #expect(harness.probe.cancelled == 1)
    }

    @Test("when the server's own deadline passes, END DEADLINE_EXCEEDED with outcome unknown arrives")
    func endAfterDeadline() async throws {
        let harness = try await Self.harness()
        try await harness.wire.send(Self.call(1, ProbeService.wait.fullName, timeoutMicros: 100_000))
        try await harness.probe.eventually { $0.started == 1 }
        // Deadlines are real time; the test loop's timers fire when its clock is moved.
        try await Task.sleep(for: .milliseconds(110))
        await harness.channel.testingEventLoop.advanceTime(by: .milliseconds(110))
        let (streamID, end) = try await Self.nextEnd(harness.wire)
        #expect(streamID == 1)
        #expect(end.status == RPCError.Code.deadlineExceeded.rawValue)
        #expect(end.outcome == CallOutcome.unknown.rawValue)
    }

    @Test("at the end of a drain, a call still running gets END UNAVAILABLE, unknown, then the connection closes")
    func endAtDrainDeadline() async throws {
        let harness = try await Self.harness()
        try await harness.wire.send(Self.call(1, ProbeService.wait.fullName))
        try await harness.probe.eventually { $0.started == 1 }
        let channel = harness.channel
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.handler(type: ServerConnectionHandler.self).beginDrain()
        }
        let drain = try await harness.wire.next()
        #expect(drain.type == .drain)
        await harness.channel.testingEventLoop.advanceTime(by: .milliseconds(200))
        let (streamID, end) = try await Self.nextEnd(harness.wire)
        #expect(streamID == 1)
        #expect(end.status == RPCError.Code.unavailable.rawValue)
        #expect(end.outcome == CallOutcome.unknown.rawValue)
        try await harness.channel.closeFuture.get()
    }

    @Test("a connection that sends nothing is closed with HELLO_TIMEOUT, timed from its accept")
    func helloTimeoutFromAccept() async throws {
        let harness = try await Self.harness(configuration: .init(name: "probe", helloTimeout: .milliseconds(100)), hello: false)
        #expect(harness.unauthenticated.count == 1)
        await harness.channel.testingEventLoop.advanceTime(by: .milliseconds(100))
        let frame = try await harness.wire.next()
        #expect(frame.connectionErrorBody().code == .helloTimeout)
        try await harness.channel.closeFuture.get()
        #expect(harness.unauthenticated.count == 0)
    }

    @Test("past the bound of connections in their handshake the oldest is closed; one that said HELLO stays")
    func oldestUnauthenticatedIsEvicted() async throws {
        let gate = UnauthenticatedConnections(limit: 2, limitPerUID: 2)
        let greeted = try await Self.harness(unauthenticated: gate)
        let silent = try await Self.harness(unauthenticated: gate, hello: false)
        _ = try await Self.harness(unauthenticated: gate, hello: false)
        #expect(gate.count == 2)
        _ = try await Self.harness(unauthenticated: gate, hello: false)
        try await silent.channel.closeFuture.get()
        #expect(gate.count == 2)
        // The connection past its HELLO was left alone: nothing more was written to it.
        #expect(try await greeted.wire.isQuiet())
    }
}
