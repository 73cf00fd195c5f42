import AftercareWire
import NIOCore
import Synchronization

/// One running call: what its task needs (the started call, its context, where its reply goes),
/// and what the task shares with the connection's event loop — why the call was stopped from
/// outside (set on the event loop before the task is cancelled), and its flow-control window.
///
/// The task's closures capture this one object and nothing else, so starting a call allocates no
/// closure contexts.
final class ServerCall: Sendable {
    let started: ServerConnectionStateMachine.StartedCall
    let context: ServerContext
    let runtime: ServerRuntime
    let connection: NIOLoopBound<ServerConnectionHandler>
    /// The peer's principals as text, for the span.
    let caller: String
    let wallStart: Int64
    /// A server-streaming call's window; `nil` for a unary call.
    let gate: CreditGate?
    /// The call's server span; `nil` while tracing is off (``CallTracing``).
    let span: TracedSpan?
    private let stop = Atomic<UInt8>(0)

    init(
        _ started: ServerConnectionStateMachine.StartedCall,
        context: ServerContext,
        runtime: ServerRuntime,
        connection: NIOLoopBound<ServerConnectionHandler>,
        caller: String
    ) {
        self.started = started
        var context = context
        self.span = CallTracing.isEnabled ? runtime.startSpan(&context, carried: started.fields.traceParent) : nil
        self.context = context
        self.runtime = runtime
        self.connection = connection
        self.caller = caller
        self.wallStart = WallClock.nowMicros()
        self.gate = started.route.kind == .serverStreaming ? CreditGate(initial: started.clientLimits.initialStreamWindow) : nil
    }

    /// Marks the call stopped and ends its window (a waiting writer fails).
    func stop(_ reason: ServerConnectionStateMachine.StopReason) {
        self.stop.store(reason.rawValue, ordering: .releasing)
        self.gate?.close()
    }

    var stopReason: ServerConnectionStateMachine.StopReason? {
        ServerConnectionStateMachine.StopReason(rawValue: self.stop.load(ordering: .acquiring))
    }

    /// The call's task: the handler, then its reply handed to the event loop, then its span (kept,
    /// and ended if traced).
    func run() async {
        let writer = RawResponseWriter { [self] message in try await self.writeStreamed(message) }
        let completion = await self.runtime.execute(self.started, self.context, self, writer)
        let connection = self.connection
        if connection.eventLoop.inEventLoop {
            connection.value.finish(self.started.streamID, completion, maxFrameSize: self.started.clientLimits.maxFrameSize)
        } else {
            connection.eventLoop.execute {
                connection.value.finish(self.started.streamID, completion, maxFrameSize: self.started.clientLimits.maxFrameSize)
            }
        }
        self.finished(completion.end)
    }

    /// Runs the call's handler that answers without suspending (``RPCRouter/Route/immediate``), in
    /// a batch's task: what to send, accounting for why the call was stopped, if it was.
    func answer(_ handler: @Sendable (ByteBuffer, ServerContext) throws -> ByteBuffer) -> ServerRuntime.Completion {
        let completion = self.runtime.answer(self.started, self.context, handler)
        guard let stopReason = self.stopReason else { return completion }
        return ServerRuntime.Completion(response: nil, end: self.runtime.endBody(for: CancellationError(), stopReason: stopReason, context: self.context))
    }

    /// The accounts of a call whose END was handed to its connection (``ServerRuntime/finished(_:_:_:caller:wallStart:span:)``).
    func finished(_ end: EndBody) {
        self.runtime.finished(end, self.started, self.context, caller: self.caller, wallStart: self.wallStart, span: self.span)
    }

    /// A server-streaming handler's message: waits for credit, then goes out from the event loop.
    private func writeStreamed(_ message: ByteBuffer) async throws {
        guard let gate = self.gate else { throw RPCError(.internal, "a unary handler wrote a streamed response") }
        let frames = try ServerConnectionHandler.messageFrames(self.started.streamID, message, limits: self.started.clientLimits)
        try await gate.acquire()
        let connection = self.connection
        if connection.eventLoop.inEventLoop {
            connection.value.write(frames)
        } else {
            connection.eventLoop.execute { connection.value.write(frames) }
        }
    }
}
