import AftercareWire
import Logging
import NIOCore
import Synchronization

// Running one call in its task: the interceptors and the handler under its deadline, the END it
// earned, and its span.
extension ServerRuntime {
    /// What a call's task hands back to its connection: a unary response, and the END.
    struct Completion: Sendable {
        var response: ByteBuffer?
        var end: EndBody
    }

    /// Runs the interceptors and the handler (which the connection cancels when the call is
    /// stopped); returns what to send, accounting for why the call was stopped, if it was.
    func execute(_ started: ServerConnectionStateMachine.StartedCall, _ context: ServerContext, _ call: ServerCall, _ writer: RawResponseWriter) async -> Completion {
        do {
            let value: ByteBuffer?
            if self.interceptors.isEmpty {
                value = try await started.route.handler(started.request, context, writer)
            } else {
                let response = UnaryResponse()
                try await Self.chain(self.interceptors[...], context) { context in
                    response.set(try await started.route.handler(started.request, context, writer))
                }
                value = response.value
            }
            // A handler that ignored its cancellation still missed its deadline.
            if let stopReason = call.stopReason {
                return Completion(response: nil, end: self.endBody(for: CancellationError(), stopReason: stopReason, context: context))
            }
            return self.completion(value, started, context)
        } catch {
            return Completion(response: nil, end: self.endBody(for: error, stopReason: call.stopReason, context: context))
        }
    }

    /// Runs a handler that answers without suspending, where the call arrived: nothing can stop
    /// the call while it runs.
    func answer(
        _ started: ServerConnectionStateMachine.StartedCall, _ context: ServerContext,
        _ handler: @Sendable (ByteBuffer, ServerContext) throws -> ByteBuffer
    ) -> Completion {
        do {
            return self.completion(try handler(started.request, context), started, context)
        } catch {
            return Completion(response: nil, end: self.endBody(for: error, stopReason: nil, context: context))
        }
    }

    /// What a handler that returned sends: its response with END OK, or END INTERNAL for a
    /// response beyond the client's limit.
    private func completion(_ value: ByteBuffer?, _ started: ServerConnectionStateMachine.StartedCall, _ context: ServerContext) -> Completion {
        if let bytes = value, bytes.readableBytes > Int(started.clientLimits.maxMessageSize) {
            let error = RPCError(.internal, "response of \(bytes.readableBytes) bytes exceeds the client's limit of \(started.clientLimits.maxMessageSize)")
            return Completion(response: nil, end: self.endBody(for: error, stopReason: nil, context: context))
        }
        return Completion(response: value, end: EndBody(status: RPCError.Code.ok.rawValue, outcome: CallOutcome.executed.rawValue))
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

    /// The retry hint of a stream ended by a drain: the service is restarting, or another instance
    /// takes the call.
    static let streamResumeHint: Duration = .milliseconds(100)

    func endBody(for error: any Error, stopReason: ServerConnectionStateMachine.StopReason?, context: ServerContext) -> EndBody {
        let rpcError: RPCError
        switch (error, stopReason) {
        case (_, .deadlineExceeded):
            rpcError = RPCError(.deadlineExceeded, "the deadline passed while \(context.method) ran", outcome: .unknown)
        case (_, .cancelledByCaller):
            rpcError = RPCError(.cancelled, "the caller cancelled the call", outcome: .unknown)
        case (_, .shutdown):
            rpcError = RPCError(.unavailable, "\(self.configuration.name) shut down while the call ran", outcome: .unknown)
        case (_, .connectionClosed):
            rpcError = RPCError(.unavailable, "the connection closed while the call ran", outcome: .unknown)
        case (_, .drained):
            rpcError = RPCError(
                .unavailable, "\(self.configuration.name) is shutting down; follow again from the last message received",
                outcome: .unknown, retryAfter: Self.streamResumeHint)
        case (let error as RPCError, nil):
            rpcError = error
            if error.code == .internal || error.code == .unknown {
                context.logger.error("call failed: \(error)")
            }
        case (let error as any RPCErrorConvertible, nil):
            rpcError = error.rpcError(method: context.method)
            context.logger.error("call failed: \(rpcError)", metadata: ["cause": "\(error)"])
        case (let error, nil):
            rpcError = RPCError(.internal, "\(context.method) failed: \(String(describing: type(of: error)))", outcome: .executed)
            context.logger.error("call failed: \(rpcError)", metadata: ["cause": "\(error)"])
        }
        return EndBody(
            status: rpcError.code.rawValue,
            outcome: (rpcError.outcome ?? .executed).rawValue,
            retryAfterMs: rpcError.retryAfter.map(ServerConnectionStateMachine.milliseconds) ?? WireProtocol.noRetryHint,
            message: rpcError.message
        )
    }

    /// A finished call's accounts, once its END was handed to its connection: its metrics and its
    /// span record, its traced span (if any) ended, and its slot in the limiter given back.
    /// - Parameter caller: the peer's principals as text, computed once per connection.
    func finished(
        _ end: EndBody, _ started: ServerConnectionStateMachine.StartedCall, _ context: ServerContext, caller: String, wallStart: Int64,
        span: TracedSpan?
    ) {
        self.record(end, started, context, caller: caller, wallStart: wallStart)
        if let span {
            CallSpanAttributes.end(span.span, status: RPCError.Code(wire: end.status), message: end.message)
        }
        self.limiter.release()
    }

    /// Records the span and the metrics of a finished call.
    private func record(_ end: EndBody, _ started: ServerConnectionStateMachine.StartedCall, _ context: ServerContext, caller: String, wallStart: Int64) {
        let elapsed = ContinuousClock.now - started.receivedAt
        self.metrics.method(context.method)?.finished(RPCError.Code(wire: end.status), after: elapsed)
        self.spans.record(
            SpanRecord(
                traceID: context.traceID,
                spanID: context.spanID,
                parentSpanID: context.parentSpanID,
                service: self.configuration.name,
                method: context.method,
                caller: caller,
                saga: context.saga,
                actor: context.actor,
                idempotencyKey: context.idempotencyKey,
                startUnixMicros: wallStart,
                durationMicros: elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000,
                status: RPCError.Code(wire: end.status),
                statusMessage: end.message,
                outcome: CallOutcome(rawValue: end.outcome) ?? .unknown
            )
        )
    }

    func makeContext(_ started: ServerConnectionStateMachine.StartedCall, peer: PeerIdentity, logger: Logger) -> ServerContext {
        let fields = started.fields
        return ServerContext(
            method: fields.method,
            deadline: started.deadline,
            metadata: Metadata(entries: fields.metadata),
            saga: fields.saga,
            idempotencyKey: fields.effectiveIdempotencyKey,
            actor: fields.actor,
            peer: peer,
            traceID: fields.traceParent?.traceID ?? .random(),
            parentSpanID: fields.traceParent?.parentID,
            connectionLogger: logger
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
