import AftercareWire
import Logging
import NIOCore

/// The server side of one connection in the channel pipeline: it decodes the bytes that arrive
/// into frames, drives a ``ServerConnectionStateMachine`` on the event loop, enters a task once
/// per call for its handler (started on the event loop itself for the first calls of a read
/// burst), and writes replies from the event loop, encoded into one buffer per loop tick.
final class ServerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var reader: FrameReader
    private let outbound: OutboundFrames
    /// Set once the connection is being closed for an error: nothing more is read.
    private var failed = false
    private var machine: ServerConnectionStateMachine
    private let runtime: ServerRuntime
    private let connections: ServerConnections
    private let unauthenticated: UnauthenticatedConnections
    private var logger: Logger
    /// The peer's principals as text, for spans.
    private var caller: String
    private var context: ChannelHandlerContext?
    /// The running calls' tasks (set once started) and what they share with the event loop.
    private var calls: [UInt32: (task: Task<Void, Never>?, call: ServerCall)] = [:]
    private var unauthenticatedID: UInt64?
    private var helloTimer: Scheduled<Void>?
    private var deadlineTimer = DeadlineTimer()
    private var drainTimer: Scheduled<Void>?
    private var flushScheduled = false
    /// When the first handler of this read burst started on the event loop (`nil` before it), and
    /// how many have started there since.
    private var inlineBurst: (start: ContinuousClock.Instant, calls: Int)?
    /// Calls past the burst's ``InlineStarts``, whose handlers answer without suspending: they
    /// start in the pool together (``ImmediateBatch``), at most ``batchedHandlersPerTask`` in one
    /// task, once this loop tick's reads are done.
    private var batch: [(call: ServerCall, handler: ImmediateBatch.Handler)] = []
    /// Whether the connection is in the metrics' open connections.
    private var countedOpen = false
    private static let batchedHandlersPerTask = 16

    init(runtime: ServerRuntime, peer: PeerIdentity, label: String, connections: ServerConnections, unauthenticated: UnauthenticatedConnections) {
        self.runtime = runtime
        self.machine = ServerConnectionStateMachine(configuration: runtime.machineConfiguration, peer: peer)
        self.reader = FrameReader(FrameDecoder(expectPreface: true, maxFrameSize: runtime.machineConfiguration.limits.maxFrameSize))
        self.outbound = OutboundFrames(writePreface: false, sent: runtime.metrics.connections.sent)
        self.connections = connections
        self.unauthenticated = unauthenticated
        var logger = runtime.logger
        logger[metadataKey: "rpc.connection"] = "\(label)"
        logger[metadataKey: "rpc.peer"] = "\(peer)"
        self.logger = logger
        self.caller = peer.description
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let draining = self.connections.add(bound)
        self.runtime.metrics.connections.opened()
        self.countedOpen = true
        self.unauthenticatedID = self.unauthenticated.admit(uid: self.machine.peer.uid) {
            bound.eventLoop.execute { bound.value.evict() }
        }
        // The handshake — TLS, then HELLO — must be done within the HELLO timeout of the accept.
        let timeout = self.runtime.configuration.helloTimeout
        self.helloTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
            self.helloTimedOut(timeout)
        }
        if draining { self.beginDrain() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closed()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.closed()
        self.context = nil
    }

    private func closed() {
        guard self.context != nil else { return }
        self.helloTimer?.cancel()
        self.deadlineTimer.cancel()
        self.drainTimer?.cancel()
        self.helloTimer = nil
        self.drainTimer = nil
        if let id = self.unauthenticatedID {
            self.unauthenticated.closed(id)
            self.unauthenticatedID = nil
        }
        for streamID in self.machine.stopAll(.connectionClosed) { self.stop(streamID, .connectionClosed) }
        self.connections.remove(self)
        // Closing runs twice (inactive, then removed); the connection leaves the open count once.
        if self.countedOpen {
            self.countedOpen = false
            self.runtime.metrics.connections.closed()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let identified = event as? PeerCertificateIdentified {
            var peer = self.machine.peer
            peer.certificateName = identified.name
            self.machine.identified(peer)
            self.caller = peer.description
            self.logger[metadataKey: "rpc.peer"] = "\(peer)"
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case let error as WireError:
            self.logger.info("closing connection: \(error)")
            self.fail(error)
        default:
            self.logger.debug("connection ended: \(error)")
            self.failed = true
            context.close(promise: nil)
        }
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.failed else { return }
        let bytes = Self.unwrapInboundIn(data)
        self.runtime.metrics.connections.received(bytes.readableBytes)
        do {
            try self.reader.read(bytes) { frame in
                if !self.failed { self.receive(frame, context: context) }
            }
        } catch {
            self.errorCaught(context: context, error: error)
        }
    }

    private func receive(_ frame: Frame, context: ChannelHandlerContext) {
        switch self.machine.receive(frame, now: .now) {
        case .none:
            // A request still arriving in fragments has a deadline too (WIRE.md §6.3).
            if frame.type == .call, let receiving = self.machine.receiving[frame.streamID] { self.armDeadlineTimer(receiving.deadline) }
        case .send(let frame):
            if frame.type == .end { self.logger.debug("refused call \(frame.streamID)") }
            self.outbound.append(frame, context)
            self.scheduleFlush()
        case .accepted(let hello):
            self.authenticated()
            self.outbound.append(hello, context)
            self.scheduleFlush()
        case .start(let started):
            self.start(started, context: context)
        case .stop(let streamID, let reason):
            self.stop(streamID, reason)
        case .grant(let streamID, let increment):
            self.calls[streamID]?.call.gate?.grant(increment)
        case .fail(let error):
            self.logger.info("closing connection: \(error)")
            self.fail(error)
        case .close:
            let body = frame.connectionErrorBody()
            self.logger.info("peer closed the connection: \(body.code): \(body.text)")
            self.failed = true
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.inlineBurst = nil
        self.outbound.flush(context)
        context.fireChannelReadComplete()
    }

    private func authenticated() {
        self.helloTimer?.cancel()
        self.helloTimer = nil
        if let id = self.unauthenticatedID {
            self.unauthenticated.authenticated(id)
            self.unauthenticatedID = nil
        }
    }

    // MARK: Calls

    private func start(_ started: ServerConnectionStateMachine.StartedCall, context: ChannelHandlerContext) {
        // The first handlers of a read burst start here, on the event loop (``InlineStarts``): one
        // that answers without suspending (the echo, a cached read) costs no thread hop, and one
        // registered as a synchronous closure no task either.
        let now = ContinuousClock.now
        var burst = self.inlineBurst ?? (now, 0)
        let limits = self.runtime.inlineStarts
        let inline = burst.calls < limits.maxCalls && now - burst.start < limits.budget
        if inline { burst.calls += 1 }
        self.inlineBurst = burst
        // Interceptors are async: a call they wrap runs in a task.
        let immediate = self.runtime.interceptors.isEmpty ? started.route.immediate : nil
        if inline, let immediate {
            self.answer(started, immediate)
            return
        }
        let call = ServerCall(
            started, context: self.runtime.makeContext(started, peer: self.machine.peer, logger: self.logger), runtime: self.runtime,
            connection: NIOLoopBound(self, eventLoop: context.eventLoop), caller: self.caller)
        let streamID = started.streamID
        self.calls[streamID] = (nil, call)
        self.armDeadlineTimer(started.deadline)
        // Nothing cancels a handler that cannot suspend: a stopped call in a batch is only marked.
        if let immediate {
            self.addToBatch(call, immediate, on: context.eventLoop)
            return
        }
        let operation: @Sendable () async -> Void = { await call.run() }
        // A handler started here leaves the loop at its first suspension.
        let task = inline ? Task.immediate(operation: operation) : Task(operation: operation)
        // Unless it already finished, it can be cancelled from now on.
        if self.calls[streamID] != nil { self.calls[streamID]?.task = task }
    }

    private func addToBatch(_ call: ServerCall, _ handler: @escaping ImmediateBatch.Handler, on eventLoop: any EventLoop) {
        if self.batch.isEmpty {
            eventLoop.assumeIsolated().execute { self.startBatch(on: eventLoop) }
        }
        self.batch.append((call, handler))
        if self.batch.count == Self.batchedHandlersPerTask { self.startBatch(on: eventLoop) }
    }

    /// Starts the batched calls' task (even on a closed connection: each call still gives back
    /// its slot in the limiter).
    private func startBatch(on eventLoop: any EventLoop) {
        guard !self.batch.isEmpty else { return }
        let batch = ImmediateBatch(calls: self.batch, connection: NIOLoopBound(self, eventLoop: eventLoop))
        self.batch = []
        Task { batch.run() }
    }

    /// Runs a handler that answers without suspending here, on the event loop, without a task:
    /// its response and END leave with this tick's flush, and its span and metrics are recorded
    /// as a task's would be.
    private func answer(_ started: ServerConnectionStateMachine.StartedCall, _ handler: @Sendable (ByteBuffer, ServerContext) throws -> ByteBuffer) {
        var context = self.runtime.makeContext(started, peer: self.machine.peer, logger: self.logger)
        let span = CallTracing.isEnabled ? self.runtime.startSpan(&context, carried: started.fields.traceParent) : nil
        let wallStart = WallClock.nowMicros()
        let completion = self.runtime.answer(started, context, handler)
        self.finish(started.streamID, completion, maxFrameSize: started.clientLimits.maxFrameSize)
        self.runtime.finished(completion.end, started, context, caller: self.caller, wallStart: wallStart, span: span)
    }

    /// Stops a running call: its window closes and its handler is cancelled; its END follows
    /// once the handler returns.
    private func stop(_ streamID: UInt32, _ reason: ServerConnectionStateMachine.StopReason) {
        guard let entry = self.calls[streamID] else { return }
        entry.call.stop(reason)
        entry.task?.cancel()
    }

    /// A streamed response message, written in the task's order.
    func write(_ frames: [Frame]) {
        guard let context = self.context, !frames.isEmpty, self.calls[frames[0].streamID] != nil else { return }
        for frame in frames { self.outbound.append(frame, context) }
        self.scheduleFlush()
    }

    /// A call's handler returned: writes its response (checked against the client's limits by
    /// the runtime) and END, unless the connection is gone.
    func finish(_ streamID: UInt32, _ completion: ServerRuntime.Completion, maxFrameSize: UInt32) {
        self.calls[streamID] = nil
        let (send, thenClose) = self.machine.finished(streamID)
        guard send, let context = self.context else { return }
        if let response = completion.response {
            Self.forEachMessageFrame(streamID, response, maxFrameSize: maxFrameSize) { self.outbound.append($0, context) }
        }
        self.outbound.appendEnd(streamID, completion.end, context)
        if thenClose {
            self.outbound.flush(context)
            context.close(promise: nil)
        } else {
            self.scheduleFlush()
        }
    }

    /// Flushes once this loop tick's queued work has run: replies finished in one tick leave in
    /// one write. (Not tied to the read burst: a TLS handler may deliver frames outside one.)
    private func scheduleFlush() {
        guard !self.flushScheduled, let context = self.context else { return }
        self.flushScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.flushScheduled = false
            if let context = self.context { self.outbound.flush(context) }
        }
    }

    /// The response message as MESSAGE frames within the client's frame size.
    static func messageFrames(_ streamID: UInt32, _ message: ByteBuffer, limits: WireLimits) throws(RPCError) -> [Frame] {
        guard message.readableBytes <= Int(limits.maxMessageSize) else {
            throw RPCError(.internal, "response of \(message.readableBytes) bytes exceeds the client's limit of \(limits.maxMessageSize)")
        }
        var frames: [Frame] = []
        Self.forEachMessageFrame(streamID, message, maxFrameSize: limits.maxFrameSize) { frames.append($0) }
        return frames
    }

    /// The MESSAGE frames of `message`, each within `maxFrameSize`, all but the last flagged MORE.
    private static func forEachMessageFrame(_ streamID: UInt32, _ message: ByteBuffer, maxFrameSize: UInt32, _ body: (Frame) -> Void) {
        var remaining = message
        repeat {
            let chunk = remaining.readSlice(length: min(remaining.readableBytes, Int(maxFrameSize)))!
            body(.message(streamID: streamID, payload: chunk, flags: remaining.readableBytes > 0 ? .more : []))
        } while remaining.readableBytes > 0
    }

    // MARK: Timers

    private func armDeadlineTimer(_ deadline: ContinuousClock.Instant) {
        guard let context = self.context else { return }
        self.deadlineTimer.arm(deadline, on: context.eventLoop) {
            self.deadlineTimer.fired()
            self.deadlinesPassed()
        }
    }

    private func deadlinesPassed() {
        guard let context = self.context else { return }
        let (refusals, stopped, next) = self.machine.expire(now: .now)
        for frame in refusals { self.outbound.append(frame, context) }
        if !refusals.isEmpty { self.scheduleFlush() }
        for streamID in stopped { self.stop(streamID, .deadlineExceeded) }
        if let next { self.armDeadlineTimer(next) }
    }

    private func helloTimedOut(_ timeout: Duration) {
        guard self.machine.isAwaitingHello else { return }
        self.logger.info("no HELLO within \(timeout) of the connection; closing")
        self.fail(WireError(.helloTimeout, "no HELLO within \(timeout)"))
    }

    /// Too many connections wait for their handshake on this listener: this, the oldest, goes.
    private func evict() {
        guard self.machine.isAwaitingHello else { return }
        self.logger.info("closing a connection still in its handshake: too many connections are waiting for theirs")
        self.unauthenticatedID = nil
        self.fail(WireError(.helloTimeout, "too many connections are waiting for their handshake; this one waited longest"))
    }

    // MARK: Drain and close

    /// Sends DRAIN, lets accepted calls finish within the drain timeout, then closes (WIRE.md §10).
    func beginDrain() {
        guard let context = self.context else { return }
        let timeout = self.runtime.configuration.drainTimeout
        switch self.machine.beginDrain(timeout: timeout) {
        case .none:
            return
        case .close:
            context.close(promise: nil)
        case .drain(let frame, let closeNow):
            self.outbound.append(frame, context)
            self.outbound.flush(context)
            if closeNow {
                context.close(promise: nil)
                return
            }
            for streamID in self.machine.stopStreams() { self.stop(streamID, .drained) }
            self.drainTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
                for streamID in self.machine.stopAll(.shutdown) { self.stop(streamID, .shutdown) }
            }
        }
    }

    /// Sends CONN_ERROR and closes.
    private func fail(_ error: WireError) {
        guard !self.failed, let context = self.context else { return }
        self.failed = true
        self.outbound.append(.connectionError(ConnectionErrorBody(code: error.code, text: error.message)), context)
        self.outbound.flush(context)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension ServerConnectionHandler: Sendable {}

/// Sent up the pipeline by a TLS transport once the handshake is done: the client certificate's
/// identity, its first DNS subject alternative name (`nil` for none: no name principal).
public struct PeerCertificateIdentified: Sendable, Hashable {
    public var name: String?

    public init(name: String?) {
        self.name = name
    }
}

extension Duration {
    /// The duration in whole nanoseconds, clamped to `Int64`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? (seconds < 0 ? .min : .max) : product.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
