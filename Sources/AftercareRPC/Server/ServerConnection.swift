import AftercareWire
import Logging
import NIOCore
import Synchronization

/// The server side of one connection: the HELLO exchange, the calls multiplexed on it, flow
/// control, cancellation, deadlines and drain (WIRE.md §2, §6–§10).
final class ServerConnection: Sendable {
    private let runtime: ServerRuntime
    private let connection: FrameConnection
    private let state = Mutex(State())
    private let logger: Logger
    private let drainRequests: AsyncStream<Void>
    private let drainContinuation: AsyncStream<Void>.Continuation

    init(runtime: ServerRuntime, connection: FrameConnection) {
        self.runtime = runtime
        self.connection = connection
        var logger = runtime.logger
        logger[metadataKey: "rpc.connection"] = "\(connection.label)"
        logger[metadataKey: "rpc.peer"] = "\(connection.peer)"
        self.logger = logger
        (self.drainRequests, self.drainContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the connection to drain: DRAIN, let accepted calls finish, close.
    func beginDrain() {
        self.drainContinuation.yield()
    }

    /// Serves the connection until it closes, then stops every call still running.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.closeIfNoHello() }
            group.addTask { await self.drainWhenAsked() }
            do {
                try await self.readLoop()
            } catch let error as WireError {
                self.logger.info("closing connection: \(error)")
                await self.fail(error)
            } catch {
                self.logger.debug("connection ended: \(error)")
            }
            self.drainContinuation.finish()
            let stopped = self.state.withLock { state in
                state.phase = .closed
                return state.stopAll(.connectionClosed)
            }
            for (task, gate) in stopped {
                gate.close()
                task?.cancel()
            }
            await self.waitUntilIdle()
            await self.connection.outbound.close()
            group.cancelAll()
        }
    }

    // MARK: Reading

    private func readLoop() async throws {
        for try await frame in self.connection.inbound {
            switch frame.type {
            case .hello:
                try await self.handleHello(frame)
            case _ where self.state.withLock({ if case .awaitingHello = $0.phase { true } else { false } }):
                throw WireError(.protocolError, "expected HELLO, got \(frame.type)")
            case .call:
                try await self.handleCall(frame)
            case .message:
                try await self.handleFragment(frame)
            case .cancel:
                try self.handleCancel(frame)
            case .credit:
                try self.handleCredit(frame)
            case .ping:
                if !frame.flags.contains(.ack) {
                    try await self.send(.ping(frame.pingData(), ack: true))
                }
            case .connectionError:
                let body = frame.connectionErrorBody()
                self.logger.info("peer closed the connection: \(body.code): \(body.text)")
                return
            default:
                throw WireError(.protocolError, "\(frame.type) is not sent by clients")
            }
        }
    }

    private func handleHello(_ frame: Frame) async throws {
        let alreadyGreeted = self.state.withLock { state in
            if case .awaitingHello = state.phase { return false }
            return true
        }
        guard !alreadyGreeted else { throw WireError(.protocolError, "a second HELLO") }
        let hello = try HelloFields.parse(frame.ext)
        let configuration = self.runtime.configuration
        let version = try HelloNegotiation.acceptClient(hello, serverName: configuration.name)
        if let allowed = configuration.allowedPeerUIDs, let uid = self.connection.peer.uid, !allowed.contains(uid) {
            throw WireError(.peerNotAllowed, "uid \(uid) may not connect to \(configuration.name)")
        }
        self.state.withLock { state in
            state.peerLimits = hello.limits
            state.phase = .ready
        }
        self.logger.debug("HELLO from \(hello.peerName) \(hello.build), speaking protocol \(version)")
        try await self.send(.hello(HelloFields(limits: configuration.limits, peerName: configuration.name, build: configuration.build)))
    }

    private func handleCall(_ frame: Frame) async throws {
        let streamID = frame.streamID
        let draining = try self.state.withLock { state throws(WireError) -> Bool in
            guard streamID % 2 == 1, streamID > state.highestStreamID else {
                throw WireError(.protocolError, "CALL stream id \(streamID) is not odd and above \(state.highestStreamID)")
            }
            state.highestStreamID = streamID
            return state.isDraining
        }
        guard frame.flags.contains(.endStream) != frame.flags.contains(.more) else {
            throw WireError(.protocolError, "CALL \(streamID) must carry exactly one of END_STREAM and MORE")
        }
        if draining {
            return try await self.reject(streamID, .unavailable, "\(self.runtime.configuration.name) is draining")
        }
        let limits = self.runtime.configuration.limits
        guard frame.ext.readableBytes <= Int(limits.maxMetadataSize) else {
            return try await self.reject(
                streamID, .resourceExhausted,
                "call metadata of \(frame.ext.readableBytes) bytes exceeds the limit of \(limits.maxMetadataSize)"
            )
        }
        let fields: CallFields
        do {
            fields = try CallFields.parse(frame.ext)
        } catch {
            return try await self.reject(streamID, .invalidArgument, error.message)
        }
        let request = PendingRequest(fields: fields, extSize: frame.ext.readableBytes, payload: frame.payload, receivedAt: .now)
        if frame.flags.contains(.more) {
            guard request.payload.readableBytes <= Int(limits.maxMessageSize) else {
                return try await self.reject(streamID, .resourceExhausted, self.tooLarge(request.payload.readableBytes))
            }
            // Requests still arriving count against the concurrency limit, so fragments cannot pile up.
            let admitted = self.state.withLock { state in
                guard state.calls.count + state.pending.count < Int(limits.maxConcurrentCalls) else { return false }
                state.pending[streamID] = request
                return true
            }
            guard admitted else {
                return try await self.reject(
                    streamID, .resourceExhausted, "too many concurrent calls on this connection (limit \(limits.maxConcurrentCalls))",
                    retryAfter: self.runtime.configuration.overloadRetryHint)
            }
        } else {
            try await self.start(streamID, request)
        }
    }

    private func handleFragment(_ frame: Frame) async throws {
        let streamID = frame.streamID
        enum Next { case ignore, wait, reject(Int), start(PendingRequest) }
        let maxMessage = Int(self.runtime.configuration.limits.maxMessageSize)
        guard !(frame.flags.contains(.more) && frame.flags.contains(.endStream)) else {
            throw WireError(.protocolError, "MESSAGE \(streamID) carries both MORE and END_STREAM")
        }
        let next = try self.state.withLock { state throws(WireError) -> Next in
            guard var request = state.pending.removeValue(forKey: streamID) else {
                guard state.wasOpened(streamID) else {
                    throw WireError(.protocolError, "MESSAGE on stream \(streamID), which was never opened")
                }
                return .ignore
            }
            var fragment = frame.payload
            request.payload.writeBuffer(&fragment)
            if request.payload.readableBytes > maxMessage { return .reject(request.payload.readableBytes) }
            if frame.flags.contains(.more) {
                state.pending[streamID] = request
                return .wait
            }
            return .start(request)
        }
        switch next {
        case .ignore, .wait:
            return
        case .reject(let size):
            try await self.reject(streamID, .resourceExhausted, self.tooLarge(size))
        case .start(let request):
            guard frame.flags.contains(.endStream) else {
                throw WireError(.protocolError, "the last fragment of stream \(streamID) lacks END_STREAM")
            }
            try await self.start(streamID, request)
        }
    }

    private func handleCancel(_ frame: Frame) throws {
        let reason = try Self.wire { () throws(FieldError) in try frame.cancelReason() }
        let stopped = try self.state.withLock { state throws(WireError) -> (Task<Void, Never>?, CreditGate)? in
            guard state.wasOpened(frame.streamID) else {
                throw WireError(.protocolError, "CANCEL on stream \(frame.streamID), which was never opened")
            }
            state.pending[frame.streamID] = nil
            guard let call = state.calls[frame.streamID], call.stopReason == nil else { return nil }
            state.calls[frame.streamID]?.stopReason = reason == .deadlineExceeded ? .deadlineExceeded : .cancelledByCaller
            return (call.task, call.gate)
        }
        stopped?.1.close()
        stopped?.0?.cancel()
    }

    private func handleCredit(_ frame: Frame) throws {
        let increment = try Self.wire { () throws(FieldError) in try frame.creditIncrement() }
        let gate = try self.state.withLock { state throws(WireError) -> CreditGate? in
            guard state.wasOpened(frame.streamID) else {
                throw WireError(.protocolError, "CREDIT on stream \(frame.streamID), which was never opened")
            }
            return state.calls[frame.streamID]?.gate
        }
        gate?.grant(increment)
    }

    // MARK: Calls

    /// Runs the checks of WIRE.md §6.3 that need the whole request, then starts the handler.
    private func start(_ streamID: UInt32, _ request: PendingRequest) async throws {
        let configuration = self.runtime.configuration
        let fields = request.fields
        let limits = configuration.limits
        let (accepted, peerLimits) = self.state.withLock { state in
            (state.calls.count < Int(limits.maxConcurrentCalls), state.peerLimits)
        }
        guard accepted else {
            return try await self.reject(
                streamID, .resourceExhausted, "too many concurrent calls on this connection (limit \(limits.maxConcurrentCalls))",
                retryAfter: configuration.overloadRetryHint
            )
        }
        guard let route = self.runtime.router.routes[fields.method] else {
            return try await self.reject(streamID, .unimplemented, "\(configuration.name) has no method \(fields.method)")
        }
        let allowed = configuration.methodAllowLists[fields.method] ?? route.allowed
        if let allowed, allowed.isDisjoint(with: self.connection.peer.principals) {
            return try await self.reject(streamID, .permissionDenied, "\(self.connection.peer) may not call \(fields.method)")
        }
        guard request.payload.readableBytes <= Int(limits.maxMessageSize) else {
            return try await self.reject(streamID, .resourceExhausted, self.tooLarge(request.payload.readableBytes))
        }
        guard fields.timeoutMicros != 0 else {
            return try await self.reject(streamID, .deadlineExceeded, "the call arrived with no time left")
        }
        guard self.runtime.limiter.tryAcquire() else {
            return try await self.reject(
                streamID, .resourceExhausted, "\(configuration.name) is running too many calls (limit \(self.runtime.limiter.limit))",
                retryAfter: configuration.overloadRetryHint
            )
        }

        let timeout = fields.timeoutMicros.map { Duration.microseconds(Int64(clamping: $0)) } ?? configuration.defaultTimeout
        let context = self.makeContext(fields, deadline: request.receivedAt.advanced(by: timeout))
        let gate = CreditGate(initial: peerLimits.initialStreamWindow)
        let writer = RawResponseWriter { [self] message in
            try await gate.acquire()
            try await self.sendMessage(streamID, message, limits: peerLimits)
        }
        let span = SpanStart(wall: WallClock.nowMicros(), clock: request.receivedAt)
        self.state.withLock { $0.calls[streamID] = Call(gate: gate) }
        let task = Task {
            let end = await self.execute(route, request.payload, context, writer, streamID: streamID)
            await self.finish(streamID, end, context: context, span: span)
        }
        let stopped = self.state.withLock { state in
            state.calls[streamID]?.task = task
            return state.calls[streamID]?.stopReason != nil
        }
        if stopped { task.cancel() }
    }

    /// Runs the interceptors and the handler under the call's deadline; returns the END to send.
    private func execute(
        _ route: RPCRouter.Route,
        _ payload: ByteBuffer,
        _ context: ServerContext,
        _ writer: RawResponseWriter,
        streamID: UInt32
    ) async -> EndBody {
        let interceptors = self.runtime.interceptors
        do {
            try await withDeadline(context.deadline) {
                try await Self.chain(interceptors[...], context) { context in
                    try await route.handler(payload, context, writer)
                }
            }
            return EndBody(status: RPCError.Code.ok.rawValue, outcome: CallOutcome.executed.rawValue)
        } catch {
            let stopReason = self.state.withLock { $0.calls[streamID]?.stopReason }
            return self.endBody(for: error, stopReason: stopReason, context: context)
        }
    }

    private static func chain(
        _ interceptors: ArraySlice<any ServerInterceptor>,
        _ context: ServerContext,
        _ handler: @escaping @Sendable (ServerContext) async throws -> Void
    ) async throws {
        guard let first = interceptors.first else { return try await handler(context) }
        try await first.intercept(context: context) { context in
            try await Self.chain(interceptors.dropFirst(), context, handler)
        }
    }

    private func endBody(for error: any Error, stopReason: StopReason?, context: ServerContext) -> EndBody {
        let error: RPCError =
            switch (error, stopReason) {
            case (is DeadlinePassed, _), (_, .deadlineExceeded):
                RPCError(.deadlineExceeded, "the deadline passed while \(context.method) ran", outcome: .unknown)
            case (_, .cancelledByCaller):
                RPCError(.cancelled, "the caller cancelled the call", outcome: .unknown)
            case (_, .shutdown):
                RPCError(.unavailable, "\(self.runtime.configuration.name) shut down while the call ran", outcome: .unknown)
            case (_, .connectionClosed):
                RPCError(.unavailable, "the connection closed while the call ran", outcome: .unknown)
            case (let error as RPCError, nil):
                error
            case (let error, nil):
                RPCError(.internal, "\(context.method) failed: \(String(describing: type(of: error)))", outcome: .executed)
            }
        if error.code == .internal || error.code == .unknown {
            context.logger.error("call failed: \(error)")
        }
        return EndBody(
            status: error.code.rawValue,
            outcome: (error.outcome ?? .executed).rawValue,
            retryAfterMs: error.retryAfter.map(Self.milliseconds) ?? WireProtocol.noRetryHint,
            message: error.message
        )
    }

    private struct SpanStart {
        var wall: Int64
        var clock: ContinuousClock.Instant
    }

    /// Sends END, records the span, and forgets the call.
    private func finish(_ streamID: UInt32, _ end: EndBody, context: ServerContext, span: SpanStart) async {
        let connectionOpen = self.state.withLock { state in
            if case .closed = state.phase { return false }
            return state.calls[streamID]?.stopReason != .connectionClosed
        }
        if connectionOpen {
            try? await self.send(.end(streamID: streamID, end))
        }
        let elapsed = ContinuousClock.now - span.clock
        await self.runtime.spans.record(
            SpanRecord(
                traceID: context.traceID,
                spanID: context.spanID,
                parentSpanID: context.parentSpanID,
                service: self.runtime.configuration.name,
                method: context.method,
                caller: context.peer.description,
                saga: context.saga,
                actor: context.actor,
                idempotencyKey: context.idempotencyKey,
                startUnixMicros: span.wall,
                durationMicros: elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000,
                status: RPCError.Code(wire: end.status),
                statusMessage: end.message,
                outcome: CallOutcome(rawValue: end.outcome) ?? .unknown
            )
        )
        self.runtime.limiter.release()
        let waiters = self.state.withLock { $0.finish(streamID) }
        for waiter in waiters { waiter.resume() }
    }

    private func makeContext(_ fields: CallFields, deadline: ContinuousClock.Instant) -> ServerContext {
        let traceID = fields.traceParent?.traceID ?? .random()
        var logger = self.logger
        logger[metadataKey: "trace.id"] = "\(traceID)"
        logger[metadataKey: "rpc.method"] = "\(fields.method)"
        if let saga = fields.saga {
            logger[metadataKey: "saga.id"] = "\(saga.sagaID)"
            logger[metadataKey: "saga.step"] = "\(saga.step)"
            logger[metadataKey: "saga.direction"] = "\(saga.direction)"
        }
        return ServerContext(
            method: fields.method,
            deadline: deadline,
            metadata: Metadata(entries: fields.metadata),
            saga: fields.saga,
            idempotencyKey: fields.effectiveIdempotencyKey,
            actor: fields.actor,
            peer: self.connection.peer,
            traceID: traceID,
            parentSpanID: fields.traceParent?.parentID,
            logger: logger
        )
    }

    // MARK: Writing

    private func send(_ frame: Frame) async throws {
        try await self.connection.outbound.write(contentsOf: [frame])
    }

    /// Sends one response message, split into fragments that fit the client's frame size.
    private func sendMessage(_ streamID: UInt32, _ message: ByteBuffer, limits: WireLimits) async throws {
        guard message.readableBytes <= Int(limits.maxMessageSize) else {
            throw RPCError(.internal, "response of \(message.readableBytes) bytes exceeds the client's limit of \(limits.maxMessageSize)")
        }
        var remaining = message
        var frames: [Frame] = []
        repeat {
            let chunk = remaining.readSlice(length: min(remaining.readableBytes, Int(limits.maxFrameSize)))!
            frames.append(.message(streamID: streamID, payload: chunk, flags: remaining.readableBytes > 0 ? .more : []))
        } while remaining.readableBytes > 0
        try await self.connection.outbound.write(contentsOf: frames)
    }

    /// Answers a call that will not run: END with outcome not executed (WIRE.md §6.3).
    private func reject(_ streamID: UInt32, _ code: RPCError.Code, _ message: String, retryAfter: Duration? = nil) async throws {
        self.logger.debug("refused call \(streamID): \(code): \(message)")
        let body = EndBody(
            status: code.rawValue,
            outcome: CallOutcome.notExecuted.rawValue,
            retryAfterMs: retryAfter.map(Self.milliseconds) ?? WireProtocol.noRetryHint,
            message: message
        )
        try await self.send(.end(streamID: streamID, body))
    }

    /// Sends CONN_ERROR for a protocol violation; `run` then closes the connection.
    private func fail(_ error: WireError) async {
        try? await self.send(.connectionError(ConnectionErrorBody(code: error.code, text: error.message)))
    }

    // MARK: Timers

    private func closeIfNoHello() async {
        do {
            try await Task.sleep(for: self.runtime.configuration.helloTimeout)
        } catch {
            return
        }
        let waiting = self.state.withLock { if case .awaitingHello = $0.phase { true } else { false } }
        guard waiting else { return }
        self.logger.info("no HELLO in time; closing")
        await self.fail(WireError(.helloTimeout, "no HELLO within \(self.runtime.configuration.helloTimeout)"))
        await self.connection.outbound.close()
    }

    private func drainWhenAsked() async {
        var requests = self.drainRequests.makeAsyncIterator()
        guard await requests.next() != nil else { return }
        let timeout = self.runtime.configuration.drainTimeout
        let last = self.state.withLock { state -> UInt32? in
            guard case .ready = state.phase else { return nil }
            state.phase = .draining(lastStreamID: state.highestStreamID)
            return state.highestStreamID
        }
        guard let last else {
            await self.connection.outbound.close()
            return
        }
        try? await self.send(.drain(DrainBody(lastStreamID: last, reason: .shutdown, deadlineMs: Self.milliseconds(timeout))))
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while !self.state.withLock({ $0.calls.isEmpty }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if !self.state.withLock({ $0.calls.isEmpty }) {
            let stopped = self.state.withLock { $0.stopAll(.shutdown) }
            for (task, gate) in stopped {
                gate.close()
                task?.cancel()
            }
            await self.waitUntilIdle()
        }
        await self.connection.outbound.close()
    }

    private func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = self.state.withLock { state in
                if state.calls.isEmpty { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    // MARK: Helpers

    private func tooLarge(_ size: Int) -> String {
        "request of \(size) bytes exceeds the limit of \(self.runtime.configuration.limits.maxMessageSize)"
    }

    private static func milliseconds(_ duration: Duration) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        return UInt32(clamping: seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
    }

    /// A frame body error in a frame that must be well-formed is a protocol error.
    private static func wire<T>(_ body: () throws(FieldError) -> T) throws(WireError) -> T {
        do {
            return try body()
        } catch {
            throw WireError(.protocolError, error.message)
        }
    }
}
