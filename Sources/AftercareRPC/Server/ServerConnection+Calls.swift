import AftercareWire
import Logging
import NIOCore
import Synchronization

// Running a call: the checks before the handler, the handler under its deadline, END and the span.
extension ServerConnection {
    /// Runs the checks of WIRE.md §6.3 that need the whole request, then starts the handler.
    func start(_ streamID: UInt32, _ request: PendingRequest) async throws {
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
        if let allowed = route.allowed, allowed.isDisjoint(with: self.principals) {
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
        self.state.withLock { $0.calls[streamID] = Call(gate: gate, deadline: context.deadline) }
        self.deadlines.callStarted()
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

    /// Runs the interceptors and the handler (which the deadline sweeper cancels when its deadline
    /// passes); returns the END to send, after a unary call's response.
    func execute(
        _ route: RPCRouter.Route,
        _ payload: ByteBuffer,
        _ context: ServerContext,
        _ writer: RawResponseWriter,
        streamID: UInt32
    ) async -> (response: ByteBuffer?, end: EndBody) {
        let interceptors = self.runtime.interceptors
        let response = UnaryResponse()
        do {
            try await Self.chain(interceptors[...], context) { context in
                response.set(try await route.handler(payload, context, writer))
            }
            // A handler that ignored its cancellation still missed its deadline.
            if self.state.withLock({ $0.calls[streamID]?.stopReason == .deadlineExceeded }) {
                throw DeadlinePassed()
            }
            return (response.value, EndBody(status: RPCError.Code.ok.rawValue, outcome: CallOutcome.executed.rawValue))
        } catch {
            let stopReason = self.state.withLock { $0.calls[streamID]?.stopReason }
            return (nil, self.endBody(for: error, stopReason: stopReason, context: context))
        }
    }

    static func chain(
        _ interceptors: ArraySlice<any ServerInterceptor>,
        _ context: ServerContext,
        _ handler: @escaping @Sendable (ServerContext) async throws -> Void
    ) async throws {
        guard let first = interceptors.first else { return try await handler(context) }
        try await first.intercept(context: context) { context in
            try await Self.chain(interceptors.dropFirst(), context, handler)
        }
    }

    func endBody(for error: any Error, stopReason: StopReason?, context: ServerContext) -> EndBody {
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

    struct SpanStart {
        var wall: Int64
        var clock: ContinuousClock.Instant
    }

    /// Sends a unary response with END in one write, records the span, and forgets the call.
    func finish(_ streamID: UInt32, _ outcome: (response: ByteBuffer?, end: EndBody), context: ServerContext, span: SpanStart) async {
        let (connectionOpen, limits) = self.state.withLock { state in
            if case .closed = state.phase { return (false, state.peerLimits) }
            return (state.calls[streamID]?.stopReason != .connectionClosed, state.peerLimits)
        }
        var end = outcome.end
        var frames: [Frame] = []
        if let response = outcome.response {
            do {
                frames = try self.messageFrames(streamID, response, limits: limits)
            } catch {
                end = self.endBody(for: error, stopReason: nil, context: context)
            }
        }
        frames.append(.end(streamID: streamID, end))
        if connectionOpen {
            try? await self.connection.outbound.write(contentsOf: frames)
        }
        let elapsed = ContinuousClock.now - span.clock
        await self.runtime.spans.record(
            SpanRecord(
                traceID: context.traceID,
                spanID: context.spanID,
                parentSpanID: context.parentSpanID,
                service: self.runtime.configuration.name,
                method: context.method,
                caller: self.caller,
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

    func makeContext(_ fields: CallFields, deadline: ContinuousClock.Instant) -> ServerContext {
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
}

/// Carries a unary handler's response out of the interceptor chain.
final class UnaryResponse: Sendable {
    private let response = Mutex<ByteBuffer?>(nil)

    func set(_ value: ByteBuffer?) {
        self.response.withLock { $0 = value }
    }

    var value: ByteBuffer? { self.response.withLock { $0 } }
}
