@testable import AftercareRPC
import AftercareTesting
import AftercareWire
import NIOCore
import NIOEmbedded
import SwiftProtobuf
import Testing

/// Handlers registered as synchronous closures: answered on the event loop without a task for the
/// first calls of a read, run together in one task for the rest, and in both cases given what every
/// call gets — a response, an END, a span, and the END of a stop that came first.
@Suite("Handlers that answer without suspending")
struct ImmediateHandlerTests {
    private struct Harness {
        let channel: NIOAsyncTestingChannel
        let wire: FrameWire
        let probe: ImmediateProbe
        let spans: InMemorySpanStore
    }

    /// - Parameter inlineStarts: the first 16 calls of a read start on the loop, however long
    ///   they take: what this suite tests runs the same on a slow machine.
    private static func harness(inlineStarts: InlineStarts = InlineStarts(budget: .seconds(60), maxCalls: 16)) async throws -> Harness {
        let probe = ImmediateProbe()
        var router = RPCRouter()
        router.add(probe)
        let spans = InMemorySpanStore()
        let runtime = ServerRuntime(
            configuration: .init(name: "immediate"), router: router, interceptors: [], limiter: CallLimiter(limit: 100),
            requestMemory: RequestMemory(limit: 1 << 24), spans: spans,
            metrics: ServerMetrics(service: "immediate", methods: router.routes.keys), logger: .test("immediate"),
            inlineStarts: inlineStarts)
        let channel = NIOAsyncTestingChannel()
        try await channel.testingEventLoop.executeInContext {
            try channel.pipeline.syncOperations.addHandler(ServerConnectionHandler(
                runtime: runtime, peer: .anonymous, label: "test", connections: ServerConnections(),
                unauthenticated: UnauthenticatedConnections(limit: 8, limitPerUID: 8)))
        }
        let wire = FrameWire(channel)
        try await wire.send(Frame.hello(HelloFields(peerName: "t", build: "0")))
        #expect(try await wire.next().type == .hello)
        return Harness(channel: channel, wire: wire, probe: probe, spans: spans)
    }

    private static func call(_ id: UInt32, _ method: String, timeoutMicros: UInt64? = nil, traceID: TraceID = .random()) -> Frame {
        var fields = CallFields(method: method, traceParent: TraceParent(traceID: traceID, parentID: 7))
        fields.timeoutMicros = timeoutMicros
        return .call(streamID: id, fields: fields, payload: ByteBuffer())
    }

    /// The ENDs of the next `count` calls to end, by stream id, and the streams that got a message.
    private static func ends(_ count: Int, _ wire: FrameWire) async throws -> (ends: [UInt32: EndBody], messages: Set<UInt32>) {
        var ends: [UInt32: EndBody] = [:]
        var messages: Set<UInt32> = []
        while ends.count < count {
            let frame = try await wire.next()
            if frame.type == .message {
                let response = try Aftercare_Common_V1_HealthResponse(serializedBytes: ProtobufBytes(frame.payload))
                #expect([ImmediateProbe.answer.fullName, ImmediateProbe.slow.fullName].contains(response.service))
                messages.insert(frame.streamID)
            }
            if frame.type == .end { ends[frame.streamID] = try frame.endBody() }
        }
        return (ends, messages)
    }

    @Test("a call answered on the event loop runs in no task and gets its response, END OK and its span")
    func answeredOnTheLoop() async throws {
        let harness = try await Self.harness()
        let traceID = TraceID.random()
        try await harness.wire.send(Self.call(1, ImmediateProbe.answer.fullName, traceID: traceID))
        let (ends, messages) = try await Self.ends(1, harness.wire)
        #expect(ends[1]?.status == RPCError.Code.ok.rawValue)
        #expect(ends[1]?.outcome == CallOutcome.executed.rawValue)
        #expect(messages == [1])
        #expect(harness.probe.withoutTask == 1)
        #expect(harness.probe.inTask == 0)
        let span = try #require(try await harness.spans.spans(traceID: traceID, limit: 10).first)
        #expect(span.method == ImmediateProbe.answer.fullName)
        #expect(span.parentSpanID == 7)
        #expect(span.status == .ok)
    }

    @Test("handlers that hold the event loop past 200 µs of a read: the rest of the read's calls start in the pool")
    func loopHeldPastTheBudget() async throws {
        let harness = try await Self.harness(inlineStarts: .defaults)
        // Each Slow handler blocks its thread for 2 ms: the first runs on the loop, the budget is
        // then spent, and the other three run in a task.
        try await harness.wire.send((0..<4).map { Self.call(UInt32(2 * $0 + 1), ImmediateProbe.slow.fullName) })
        let (ends, messages) = try await Self.ends(4, harness.wire)
        #expect(ends.keys.sorted() == [1, 3, 5, 7])
        #expect(ends.values.allSatisfy { $0.status == RPCError.Code.ok.rawValue })
        #expect(messages.count == 4)
        #expect(harness.probe.withoutTask == 1)
        #expect(harness.probe.inTask == 3)
    }

    @Test("past the first calls of a read, the rest run in a task together; one cancelled or past its deadline meanwhile gets that END")
    func batchedAfterTheFirst() async throws {
        let harness = try await Self.harness()
        // Sixteen calls are answered on the loop; 33 and 35 wait in one task, 33 then 35.
        let answered = (0..<16).map { Self.call(UInt32(2 * $0 + 1), ImmediateProbe.answer.fullName) }
        try await harness.wire.send(answered + [
            Self.call(33, ImmediateProbe.hold.fullName), Self.call(35, ImmediateProbe.hold.fullName, timeoutMicros: 100_000),
        ])
        let (ends, messages) = try await Self.ends(16, harness.wire)
        #expect(ends.keys.sorted() == Array(stride(from: 1, through: 31, by: 2)))
        #expect(ends.values.allSatisfy { $0.status == RPCError.Code.ok.rawValue })
        #expect(messages.count == 16)
        #expect(harness.probe.withoutTask == 16)
        try await harness.probe.eventually { $0.holding == 1 }
        #expect(harness.probe.inTask == 1)
        // 33 is cancelled and 35's deadline passes while 33's handler holds the task.
        try await harness.wire.send(Frame.cancel(streamID: 33, reason: .cancelledByCaller))
        try await Task.sleep(for: .milliseconds(110))
        await harness.channel.testingEventLoop.advanceTime(by: .milliseconds(110))
        harness.probe.releaseHeld(2)
        let (stopped, _) = try await Self.ends(2, harness.wire)
        #expect(stopped[33]?.status == RPCError.Code.cancelled.rawValue)
        #expect(stopped[33]?.outcome == CallOutcome.unknown.rawValue)
        #expect(stopped[35]?.status == RPCError.Code.deadlineExceeded.rawValue)
        #expect(stopped[35]?.outcome == CallOutcome.unknown.rawValue)
        #expect(harness.probe.inTask == 2)
        // A batch records its calls' spans once their ENDs are handed to the loop.
        for _ in 0..<500 where harness.spans.count < 18 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(harness.spans.count == 18)
    }
}
