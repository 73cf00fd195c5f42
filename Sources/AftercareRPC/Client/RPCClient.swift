import AftercareWire
public import Logging
import NIOCore
public import ServiceLifecycle
import SwiftProtobuf
import Synchronization

/// An Aftercare RPC client: typed calls over one multiplexed connection, connected lazily and
/// reconnected with back-off (WIRE.md §2, §6, §9). A client over several instances of one service
/// (``init(transports:configuration:logger:)``) spreads its calls over them in turn and sends a
/// call that an instance could not take (it cannot be reached, or its connection closed before
/// the call was sent) to the next, within the call's deadline; an instance that could not be
/// reached is passed over until its back-off has passed.
///
/// Run it as a `Service` (or call ``run()`` in a task) for as long as calls are made; calls wait
/// for a connection within their deadline.
public final class RPCClient: Service, Sendable {
    private let endpoints: [ClientEndpoint]
    private let configuration: Configuration
    private let logger: Logger
    private let metrics: ClientMetrics
    /// The endpoint the next call starts with, modulo their number.
    private let turn = Atomic<Int>(0)

    /// - Parameters:
    ///   - transport: how to reach the server (Unix socket, TCP, in process; TLS in its configuration).
    ///   - configuration: name, limits, default timeout, back-off, keep-alive.
    ///   - logger: where connection events are logged.
    public init(transport: any ClientTransport, configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let metrics = ClientMetrics(service: configuration.name)
        self.metrics = metrics
        self.endpoints = [ClientEndpoint(transport: transport, configuration: configuration, logger: logger, metrics: metrics)]
    }

    /// A client over several instances of one service, all serving the same data (one database).
    /// - Parameters:
    ///   - transports: how to reach each instance; at least one.
    ///   - configuration: name, limits, default timeout, back-off (per instance), keep-alive.
    ///   - logger: where connection events and fail-overs are logged.
    package init(transports: [any ClientTransport], configuration: Configuration, logger: Logger) {
        precondition(!transports.isEmpty, "an RPCClient needs at least one transport")
        self.configuration = configuration
        self.logger = logger
        let metrics = ClientMetrics(service: configuration.name)
        self.metrics = metrics
        self.endpoints = transports.map { ClientEndpoint(transport: $0, configuration: configuration, logger: logger, metrics: metrics) }
    }

    /// Where the client connects: its instances' targets, in order.
    package var targets: [String] { self.endpoints.map(\.transport.target) }

    // MARK: Calls

    /// Makes a unary call.
    public func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        options: CallOptions = .defaults
    ) async throws -> Response {
        try await self.unary(method, request, options, on: nil)
    }

    /// Makes a unary call on one instance alone, the one at `instance` in ``targets``, with no
    /// fail-over to another: to ask each instance about itself (its health, say).
    package func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        options: CallOptions = .defaults,
        instance: Int
    ) async throws -> Response {
        precondition(self.endpoints.indices.contains(instance), "no instance \(instance) among \(self.endpoints.count)")
        return try await self.unary(method, request, options, on: [self.endpoints[instance]])
    }

    private func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        _ options: CallOptions,
        on endpoints: [ClientEndpoint]?
    ) async throws -> Response {
        try await self.call(method, request, options, on: endpoints) { call in
            let bytes = try await call.unaryResponse(method: method.fullName)
            do {
                return try Response(serializedBytes: ProtobufBytes(bytes))
            } catch {
                throw RPCError(.internal, "response is not a valid \(Response.protoMessageName): \(error)", outcome: .executed)
            }
        }
    }

    /// Makes a server-streaming call; `body` reads the responses, within the call's deadline.
    public func serverStreaming<Request, Response, Result: Sendable>(
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        options: CallOptions = .defaults,
        _ body: @escaping @Sendable (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await self.call(method, request, options, on: nil) { call in
            try await body(ResponseStream(call: call))
        }
    }

    /// Makes the call (on `endpoints` in turn, or on every instance as ``order()`` takes them) and
    /// records it in the client's metrics: its status (a failure that is no ``RPCError`` counts as
    /// `UNKNOWN`) and how long it took; with tracing on, in its client span.
    private func call<Request: SwiftProtobuf.Message, R: Sendable>(
        _ method: MethodDescriptor<Request, some SwiftProtobuf.Message>,
        _ request: Request,
        _ options: CallOptions,
        on endpoints: [ClientEndpoint]?,
        _ body: @escaping @Sendable (ClientCallStream) async throws -> R
    ) async throws -> R {
        let metrics = self.metrics.method(method.fullName)
        let start = ContinuousClock.now
        let (options, span) = CallTracing.isEnabled ? Self.startSpan(method.fullName, options) : (options, nil)
        do {
            let result = try await self.perform(method, request, options, on: endpoints ?? self.order(), body)
            metrics.finished(.ok, after: ContinuousClock.now - start)
            if let span { CallSpanAttributes.end(span.span, status: .ok, message: "") }
            return result
        } catch {
            let rpcError = error as? RPCError
            metrics.finished(rpcError?.code ?? .unknown, after: ContinuousClock.now - start)
            if let span { CallSpanAttributes.end(span.span, status: rpcError?.code ?? .unknown, message: rpcError?.message ?? "\(error)") }
            throw error
        }
    }

    private func perform<Request: SwiftProtobuf.Message, R: Sendable>(
        _ method: MethodDescriptor<Request, some SwiftProtobuf.Message>,
        _ request: Request,
        _ options: CallOptions,
        on order: [ClientEndpoint],
        _ body: @escaping @Sendable (ClientCallStream) async throws -> R
    ) async throws -> R {
        let deadline = ContinuousClock.now.advanced(by: options.timeout ?? self.configuration.defaultTimeout)
        let payload: ByteBuffer
        do {
            payload = try request.serializedBuffer()
        } catch {
            throw RPCError(.invalidArgument, "could not encode \(Request.protoMessageName): \(error)", outcome: .notExecuted)
        }
        let fields = CallFields(
            method: method.fullName,
            traceParent: options.traceParent ?? .random(),
            saga: options.saga,
            idempotencyKey: options.idempotencyKey,
            actor: options.actor,
            metadata: options.metadata.entries
        )
        do {
            try fields.validate()
        } catch {
            throw RPCError(.invalidArgument, error.message, outcome: .notExecuted)
        }
        do {
            for (index, endpoint) in order.enumerated() {
                do {
                    return try await Self.perform(fields, payload, deadline: deadline, on: endpoint, body)
                } catch let unsent as UnsentCall {
                    guard index + 1 < order.count, ContinuousClock.now < deadline else { throw unsent.error }
                    self.logger.debug(
                        "\(method.fullName) could not be sent to \(endpoint.transport.target): \(unsent.error.message); trying \(order[index + 1].transport.target)")
                }
            }
            preconditionFailure("an RPCClient has at least one endpoint")
        } catch is DeadlinePassed {
            throw RPCError(.deadlineExceeded, "\(method.fullName) did not finish within its deadline", outcome: .notExecuted)
        } catch is CancellationError {
            throw RPCError(.cancelled, "\(method.fullName) was cancelled by the caller", outcome: .notExecuted)
        }
    }

    /// Makes the call on `endpoint`'s connection, waiting for one within the deadline. A call the
    /// endpoint could not carry (no connection could be made, or it closed before the call was
    /// sent) throws ``UnsentCall``.
    private static func perform<R: Sendable>(
        _ fields: CallFields, _ payload: ByteBuffer, deadline: ContinuousClock.Instant, on endpoint: ClientEndpoint,
        _ body: @escaping @Sendable (ClientCallStream) async throws -> R
    ) async throws -> R {
        // An open call's deadline is enforced by its connection; only waiting for a
        // connection needs a timer here.
        let connection: ClientConnection
        if let ready = endpoint.readyConnection() {
            connection = ready
        } else {
            do {
                connection = try await withDeadline(deadline) { try await endpoint.connection() }
            } catch let error as RPCError where error.code == .unavailable && error.outcome == .notExecuted {
                throw UnsentCall(error: error)
            }
        }
        return try await connection.call(fields, payload, deadline: deadline, body)
    }

    /// The endpoints in the order the next call tries them: each call starts one further along,
    /// and those backing off from a failed connection come last.
    private func order() -> [ClientEndpoint] {
        guard self.endpoints.count > 1 else { return self.endpoints }
        let start = self.turn.wrappingAdd(1, ordering: .relaxed).oldValue
        let count = self.endpoints.count
        let turned = (0..<count).map { self.endpoints[(start % count + count + $0) % count] }
        var ready: [ClientEndpoint] = []
        var backingOff: [ClientEndpoint] = []
        for endpoint in turned {
            if endpoint.isBackingOff { backingOff.append(endpoint) } else { ready.append(endpoint) }
        }
        return ready + backingOff
    }

    // MARK: Running

    /// Connects each instance whenever calls wait for it, until shut down.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for endpoint in self.endpoints {
                    group.addTask { await endpoint.run() }
                }
            }
        } onGracefulShutdown: {
            self.beginGracefulShutdown()
        }
    }

    /// Refuses new calls, lets open calls finish, then closes the connections and ends ``run()``.
    public func beginGracefulShutdown() {
        for endpoint in self.endpoints { endpoint.beginGracefulShutdown() }
    }
}
