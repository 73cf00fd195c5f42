import AftercareWire
import Logging
import NIOCore

/// The client side of one connection in the channel pipeline: it drives a
/// ``ClientConnectionStateMachine`` on the event loop, writes each call's frames as the call opens
/// (encoded into one buffer per loop tick), and hands what arrives, decoded, straight to the
/// waiting caller.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var reader: FrameReader
    private let outbound: OutboundFrames
    /// Set once the connection is being closed: nothing more is read.
    private var closing = false
    private var machine: ClientConnectionStateMachine
    private let configuration: RPCClient.Configuration
    private let logger: Logger
    private let label: String
    private let metrics: ConnectionMetrics
    /// Whether the connection is in the metrics' open connections (from the server's HELLO).
    private var countedOpen = false
    /// Succeeds with the server's HELLO; fails if the connection ends first.
    let ready: EventLoopPromise<HelloFields>
    /// Told once when the connection stops taking new calls (drained or closed).
    private let onUnusable: @Sendable () -> Void
    private var unusableReported = false
    private var context: ChannelHandlerContext?
    private var calls: [UInt32: ClientCall] = [:]
    private var connectTimer: Scheduled<Void>?
    private var keepaliveTimer: RepeatedTask?
    private var deadlineTimer = DeadlineTimer()
    private var closeWhenIdle = false
    /// Why the connection failed, for the calls it ends.
    private var failure: RPCError?
    private var flushScheduled = false
    private var pings: UInt64 = 0

    init(
        configuration: RPCClient.Configuration, label: String, logger: Logger, metrics: ConnectionMetrics, ready: EventLoopPromise<HelloFields>,
        onUnusable: @escaping @Sendable () -> Void
    ) {
        self.configuration = configuration
        self.metrics = metrics
        self.outbound = OutboundFrames(writePreface: true, sent: metrics.sent)
        self.machine = ClientConnectionStateMachine(configuration: configuration, label: label)
        self.reader = FrameReader(FrameDecoder(expectPreface: false, maxFrameSize: configuration.limits.maxFrameSize))
        self.label = label
        self.logger = logger
        self.ready = ready
        self.onUnusable = onUnusable
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { self.start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.start(context)
        context.fireChannelActive()
    }

    /// Sends HELLO; the server's must come within the connect timeout.
    private func start(_ context: ChannelHandlerContext) {
        guard self.connectTimer == nil else { return }
        self.outbound.append(self.machine.hello, context)
        self.outbound.flush(context)
        let timeout = self.configuration.connectTimeout
        self.connectTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
            guard case .handshaking = self.machine.phase else { return }
            self.logger.info("no HELLO from \(self.label) within \(timeout)")
            self.close(RPCError(.unavailable, "no HELLO from \(self.label) within \(timeout)", outcome: .notExecuted))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.ended()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.ended()
        self.context = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if self.failure == nil {
            self.failure = RPCError(.unavailable, "the connection to \(self.label) failed: \(error)", outcome: .unknown)
        }
        self.logger.debug("connection to \(self.label) failed: \(error)")
        self.closing = true
        context.close(promise: nil)
    }

    /// The connection is gone: every open call fails, and a handshake in progress fails.
    private func ended() {
        self.connectTimer?.cancel()
        self.keepaliveTimer?.cancel()
        self.deadlineTimer.cancel()
        let handshaking: Bool = if case .handshaking = self.machine.phase { true } else { false }
        let failure = self.failure ?? RPCError(.unavailable, "\(self.label) closed the connection", outcome: .unknown)
        if handshaking {
            self.ready.fail(RPCError(.unavailable, failure.message, outcome: .notExecuted))
        }
        _ = self.machine.closed()
        let lost = RPCError(.unavailable, failure.message, outcome: .unknown)
        for call in self.calls.values { call.fail(lost) }
        self.calls = [:]
        if self.countedOpen {
            self.countedOpen = false
            self.metrics.closed()
        }
        self.reportUnusable()
    }

    private func reportUnusable() {
        guard !self.unusableReported else { return }
        self.unusableReported = true
        self.onUnusable()
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.closing else { return }
        let bytes = Self.unwrapInboundIn(data)
        self.metrics.received(bytes.readableBytes)
        do {
            try self.reader.read(bytes) { frame in
                if !self.closing { self.receive(frame, context: context) }
            }
        } catch {
            self.errorCaught(context: context, error: error)
        }
    }

    private func receive(_ frame: Frame, context: ChannelHandlerContext) {
        switch self.machine.receive(frame, now: .now) {
        case .none:
            break
        case .ready(let hello):
            self.connectTimer?.cancel()
            self.startKeepalive(context)
            self.metrics.opened()
            self.countedOpen = true
            self.ready.succeed(hello)
        case .message(let streamID, let frame):
            guard let call = self.calls[streamID] else { break }
            if let error = call.deliver(message: frame) {
                call.fail(error)
                self.forget(streamID, cancel: .cancelledByCaller)
            }
        case .end(let streamID, let body):
            self.calls.removeValue(forKey: streamID)?.deliver(end: body)
            self.closeIfIdle()
        case .send(let frame):
            self.outbound.append(frame, context)
            self.scheduleFlush()
        case .drained(let refused):
            self.logger.debug("\(self.label) is draining; \(refused.count) calls were not accepted")
            let error = RPCError(.unavailable, "\(self.label) is draining and did not accept the call", outcome: .notExecuted)
            for streamID in refused { self.calls.removeValue(forKey: streamID)?.fail(error) }
            self.reportUnusable()
            self.closeIfIdle()
        case .fail(let error):
            self.close(error)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.outbound.flush(context)
        context.fireChannelReadComplete()
    }

    // MARK: Calls (on the event loop, from ``ClientConnection``)

    func open(_ call: ClientCall, _ fields: CallFields, _ request: ByteBuffer, deadline: ContinuousClock.Instant) {
        guard let context = self.context else {
            call.fail(RPCError(.unavailable, "the connection to \(self.label) is closed", outcome: .notExecuted))
            return
        }
        switch self.machine.open(fields, request, deadline: deadline) {
        case .failure(let error):
            call.fail(error)
        case .success(let (streamID, frames)):
            self.calls[streamID] = call
            call.opened(streamID)
            self.outbound.appendCall(streamID: streamID, flags: frames.callFlags, fields: frames.fields, payload: frames.payload, context)
            for frame in frames.fragments { self.outbound.append(frame, context) }
            self.scheduleFlush()
            self.armDeadlineTimer(deadline)
        }
    }

    /// The caller gave up on `call`: the server gets CANCEL, the caller DEADLINE_EXCEEDED or
    /// CANCELLED — outcome unknown once the CALL was written (calls open on the event loop in
    /// order, so by now it was, unless it failed to open).
    func cancel(_ call: ClientCall, _ reason: CancelReason) {
        let outcome: CallOutcome = call.streamID == nil ? .notExecuted : .unknown
        call.fail(reason == .deadlineExceeded
            ? RPCError(.deadlineExceeded, "the call did not finish within its deadline", outcome: outcome)
            : RPCError(.cancelled, "the call was cancelled by the caller", outcome: outcome))
        guard let streamID = call.streamID else { return }
        self.forget(streamID, cancel: reason)
    }

    /// Grants the server more response messages on `call`.
    func grant(_ call: ClientCall, _ increment: UInt32) {
        guard let streamID = call.streamID, self.calls[streamID] != nil, let context = self.context else { return }
        self.outbound.append(.credit(streamID: streamID, increment: increment), context)
        self.scheduleFlush()
    }

    private func forget(_ streamID: UInt32, cancel reason: CancelReason) {
        self.calls[streamID] = nil
        if let frame = self.machine.cancel(streamID, reason), let context = self.context {
            self.outbound.append(frame, context)
            self.scheduleFlush()
        }
        self.closeIfIdle()
    }

    /// Takes no new calls, and closes once the open ones have ended.
    func beginClosingWhenIdle() {
        self.closeWhenIdle = true
        self.reportUnusable()
        if self.machine.closeWhenIdle() { self.context?.close(promise: nil) }
    }

    private func closeIfIdle() {
        guard self.closeWhenIdle || self.machine.isDraining, !self.machine.hasCalls else { return }
        self.context?.close(promise: nil)
    }

    /// Closes the connection; every open call fails with `error`.
    private func close(_ error: RPCError) {
        if self.failure == nil { self.failure = error }
        self.closing = true
        self.context?.close(promise: nil)
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

    // MARK: Timers

    private func armDeadlineTimer(_ deadline: ContinuousClock.Instant) {
        guard let context = self.context else { return }
        self.deadlineTimer.arm(deadline, on: context.eventLoop) {
            self.deadlineTimer.fired()
            self.deadlinesPassed()
        }
    }

    /// Ends calls whose deadline has passed: the caller gets DEADLINE_EXCEEDED (outcome unknown),
    /// the server a CANCEL (WIRE.md §9.1).
    private func deadlinesPassed() {
        let (expired, next) = self.machine.expire(now: .now)
        for streamID in expired {
            self.calls.removeValue(forKey: streamID)?.fail(RPCError(.deadlineExceeded, "the call did not finish within its deadline", outcome: .unknown))
            if let context = self.context { self.outbound.append(.cancel(streamID: streamID, reason: .deadlineExceeded), context) }
        }
        if !expired.isEmpty {
            self.scheduleFlush()
            self.closeIfIdle()
        }
        if let next { self.armDeadlineTimer(next) }
    }

    /// Pings a connection that has calls open and has been quiet for the keep-alive interval;
    /// closes it when the PING goes unanswered (WIRE.md §9.3).
    private func startKeepalive(_ context: ChannelHandlerContext) {
        let interval = self.configuration.keepaliveInterval
        let timeout = self.configuration.keepaliveTimeout
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.keepaliveTimer = context.eventLoop.scheduleRepeatedTask(initialDelay: .nanoseconds(interval.nanoseconds), delay: .nanoseconds(interval.nanoseconds)) { _ in
            let handler = bound.value
            guard handler.machine.needsPing(now: .now, interval: interval), let context = handler.context else { return }
            handler.pings += 1
            let sent = ContinuousClock.now
            handler.outbound.append(.ping(handler.pings), context)
            handler.outbound.flush(context)
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
                guard handler.machine.lastRead < sent else { return }
                handler.logger.info("no answer to PING from \(handler.label) within \(timeout); closing")
                handler.close(RPCError(.unavailable, "no answer to PING from \(handler.label) within \(timeout)", outcome: .unknown))
            }
        }
    }
}

@available(*, unavailable)
extension ClientConnectionHandler: Sendable {}

extension ClientConnectionStateMachine {
    var isDraining: Bool {
        if case .draining = self.phase { return true }
        return false
    }
}
