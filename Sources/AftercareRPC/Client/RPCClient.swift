import AftercareWire
public import Logging
import NIOCore
public import ServiceLifecycle
import SwiftProtobuf
import Synchronization

/// An Aftercare RPC client: typed calls over one multiplexed connection, connected lazily and
/// reconnected with back-off (WIRE.md §2, §6, §9).
///
/// Run it as a `Service` (or call ``run()`` in a task) for as long as calls are made; calls wait
/// for a connection within their deadline.
public final class RPCClient: Service, Sendable {
    private struct State {
        enum Phase {
            case idle
            case connecting
            case ready(ClientConnection)
            case backingOff(until: ContinuousClock.Instant)
            case shutdown
        }

        var phase = Phase.idle
        var waiters: [Int: CheckedContinuation<ClientConnection, any Error>] = [:]
        var nextWaiterID = 0
        var live: [ObjectIdentifier: ClientConnection] = [:]
    }

    private let transport: any ClientTransport
    private let configuration: Configuration
    private let logger: Logger
    private let metrics: ClientMetrics
    private let state = Mutex(State())
    private let demand: AsyncStream<Void>
    private let demandContinuation: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - transport: how to reach the server (Unix socket, TCP, in process; TLS in its configuration).
    ///   - configuration: name, limits, default timeout, back-off, keep-alive.
    ///   - logger: where connection events are logged.
    public init(transport: any ClientTransport, configuration: Configuration, logger: Logger) {
        self.transport = transport
        self.configuration = configuration
        self.logger = logger
        self.metrics = ClientMetrics(service: configuration.name)
        (self.demand, self.demandContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    // MARK: Calls

    /// Makes a unary call.
    public func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        options: CallOptions = .defaults
    ) async throws -> Response {
        try await self.call(method, request, options) { call in
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
        try await self.call(method, request, options) { call in
            try await body(ResponseStream(call: call))
        }
    }

    /// Makes the call and records it in the client's metrics: its status (a failure that is no
    /// ``RPCError`` counts as `UNKNOWN`) and how long it took; with tracing on, in its client span.
    private func call<Request: SwiftProtobuf.Message, R: Sendable>(
        _ method: MethodDescriptor<Request, some SwiftProtobuf.Message>,
        _ request: Request,
        _ options: CallOptions,
        _ body: @escaping @Sendable (ClientCallStream) async throws -> R
    ) async throws -> R {
        let metrics = self.metrics.method(method.fullName)
        let start = ContinuousClock.now
        let (options, span) = CallTracing.isEnabled ? Self.startSpan(method.fullName, options) : (options, nil)
        do {
            let result = try await self.perform(method, request, options, body)
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
            // An open call's deadline is enforced by its connection; only waiting for a
            // connection needs a timer here.
            let connection: ClientConnection
            if let ready = self.readyConnection() {
                connection = ready
            } else {
                connection = try await withDeadline(deadline) { try await self.connection() }
            }
            return try await connection.call(fields, payload, deadline: deadline, body)
        } catch is DeadlinePassed {
            throw RPCError(.deadlineExceeded, "\(method.fullName) did not finish within its deadline", outcome: .notExecuted)
        } catch is CancellationError {
            throw RPCError(.cancelled, "\(method.fullName) was cancelled by the caller", outcome: .notExecuted)
        }
    }

    // MARK: Connections

    /// The ready connection, if there is one now.
    private func readyConnection() -> ClientConnection? {
        self.state.withLock { state in
            guard case .ready(let connection) = state.phase else { return nil }
            return connection
        }
    }

    /// A ready connection, waiting for one to be made if needed.
    private func connection() async throws -> ClientConnection {
        let id = self.state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ClientConnection, any Error>) in
                enum Action { case use(ClientConnection), fail(any Error), wait(signal: Bool) }
                let action = self.state.withLock { state -> Action in
                    if Task.isCancelled { return .fail(CancellationError()) }
                    switch state.phase {
                    case .ready(let connection):
                        return .use(connection)
                    case .shutdown:
                        return .fail(RPCError(.unavailable, "the client is shut down", outcome: .notExecuted))
                    case .connecting:
                        state.waiters[id] = continuation
                        return .wait(signal: false)
                    case .idle, .backingOff:
                        state.waiters[id] = continuation
                        if case .backingOff = state.phase {} else { state.phase = .connecting }
                        return .wait(signal: true)
                    }
                }
                switch action {
                case .use(let connection): continuation.resume(returning: connection)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait(let signal): if signal { self.demandContinuation.yield() }
                }
            }
        } onCancel: {
            let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Connects whenever calls wait for a connection, until shut down.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                var backoff = Backoff(initial: self.configuration.initialBackoff, maximum: self.configuration.maximumBackoff)
                for await _ in self.demand {
                    let wait = self.state.withLock { state -> ContinuousClock.Instant? in
                        guard !state.waiters.isEmpty else { return nil }
                        if case .backingOff(let until) = state.phase { return until }
                        return .now
                    }
                    guard let wait else { continue }
                    try? await Task.sleep(until: wait, clock: .continuous)
                    let proceed = self.state.withLock { state in
                        if case .shutdown = state.phase { return false }
                        state.phase = .connecting
                        return true
                    }
                    guard proceed else { break }
                    switch await self.connectOnce() {
                    case .success(let connection):
                        backoff.reset()
                        self.becameReady(connection)
                    case .failure(let error):
                        let delay = backoff.next()
                        self.logger.info("cannot connect to \(self.transport.target): \(error.message); next attempt in \(delay)")
                        self.failedToConnect(error, retryAt: .now.advanced(by: delay))
                    }
                }
                for connection in self.state.withLock({ Array($0.live.values) }) {
                    group.addTask { await connection.closeWhenIdle() }
                }
            }
        } onGracefulShutdown: {
            self.beginGracefulShutdown()
        }
    }

    /// Refuses new calls, lets open calls finish, then closes the connections and ends ``run()``.
    public func beginGracefulShutdown() {
        let waiters = self.state.withLock { state in
            state.phase = .shutdown
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters {
            waiter.resume(throwing: RPCError(.unavailable, "the client is shutting down", outcome: .notExecuted))
        }
        self.demandContinuation.finish()
    }

    /// Connects, sends HELLO and waits for the server's, within the connect timeout.
    private func connectOnce() async -> Result<ClientConnection, RPCError> {
        let configuration = self.configuration
        let target = self.transport.target
        let made = Mutex<(handler: NIOLoopBound<ClientConnectionHandler>, ready: EventLoopFuture<HelloFields>)?>(nil)
        do {
            let channel = try await self.transport.connect { channel in
                let ready = channel.eventLoop.makePromise(of: HelloFields.self)
                let channelID = ObjectIdentifier(channel)
                let handler = ClientConnectionHandler(
                    configuration: configuration, label: target, logger: self.logger, metrics: self.metrics.connections, ready: ready
                ) {
                    self.unusable(channelID)
                }
                try channel.pipeline.syncOperations.addHandler(handler)
                made.withLock { $0 = (NIOLoopBound(handler, eventLoop: channel.eventLoop), ready.futureResult) }
            }
            guard let (handler, ready) = made.withLock({ $0 }) else {
                throw RPCError(.unavailable, "the transport to \(target) made no connection", outcome: .notExecuted)
            }
            let server: HelloFields
            do {
                server = try await ready.get()
            } catch {
                channel.close(promise: nil)
                throw error
            }
            let connection = ClientConnection(channel: channel, handler: handler, server: server, configuration: configuration)
            self.state.withLock { $0.live[ObjectIdentifier(channel)] = connection }
            channel.closeFuture.whenComplete { _ in self.ended(connection) }
            return .success(connection)
        } catch let error as RPCError {
            return .failure(RPCError(.unavailable, error.message, outcome: .notExecuted))
        } catch {
            return .failure(RPCError(.unavailable, "cannot connect to \(target): \(error)", outcome: .notExecuted))
        }
    }

    private func becameReady(_ connection: ClientConnection) {
        let waiters = self.state.withLock { state in
            if case .shutdown = state.phase { return [CheckedContinuation<ClientConnection, any Error>]() }
            // Closed already (its end was reported before it was ready): connect again.
            guard connection.channel.isActive else {
                state.phase = .idle
                self.demandContinuation.yield()
                return []
            }
            state.phase = .ready(connection)
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: connection) }
    }

    private func failedToConnect(_ error: RPCError, retryAt: ContinuousClock.Instant) {
        let waiters = self.state.withLock { state in
            if case .shutdown = state.phase { return [CheckedContinuation<ClientConnection, any Error>]() }
            state.phase = .backingOff(until: retryAt)
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    /// The connection takes no new calls (drained or closed): the next call connects anew.
    private func unusable(_ channel: ObjectIdentifier) {
        self.state.withLock { state in
            if case .ready(let current) = state.phase, ObjectIdentifier(current.channel) == channel { state.phase = .idle }
        }
    }

    private func ended(_ connection: ClientConnection) {
        self.unusable(ObjectIdentifier(connection.channel))
        self.state.withLock { _ = $0.live.removeValue(forKey: ObjectIdentifier(connection.channel)) }
    }
}
