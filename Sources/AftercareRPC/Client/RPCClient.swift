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
            var consumed: UInt32 = 0
            guard let bytes = try await call.next(consumed: &consumed) else {
                throw RPCError(.internal, "\(method.fullName) ended OK without a response", outcome: .executed)
            }
            guard try await call.next(consumed: &consumed) == nil else {
                throw RPCError(.internal, "\(method.fullName) sent more than one response", outcome: .executed)
            }
            do {
                return try Response(serializedBytes: Array(buffer: bytes))
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

    private func call<Request: SwiftProtobuf.Message, R: Sendable>(
        _ method: MethodDescriptor<Request, some SwiftProtobuf.Message>,
        _ request: Request,
        _ options: CallOptions,
        _ body: @escaping @Sendable (ClientCallStream) async throws -> R
    ) async throws -> R {
        let deadline = ContinuousClock.now.advanced(by: options.timeout ?? self.configuration.defaultTimeout)
        let payload: ByteBuffer
        do {
            payload = ByteBuffer(bytes: try request.serializedBytes() as [UInt8])
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
        let sent = SentFlag()
        let call: @Sendable (ClientConnection) async throws -> R = { connection in
            var fields = fields
            fields.timeoutMicros = Self.micros(until: deadline)
            return try await connection.call(fields, payload, deadline: deadline) { call in
                sent.set()
                do {
                    return try await body(call)
                } catch where Task.isCancelled {
                    call.cancel(ContinuousClock.now >= deadline ? .deadlineExceeded : .cancelledByCaller)
                    throw error
                }
            }
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
            return try await call(connection)
        } catch is DeadlinePassed {
            throw RPCError(.deadlineExceeded, "\(method.fullName) did not finish within its deadline", outcome: sent.isSet ? .unknown : .notExecuted)
        } catch is CancellationError {
            throw RPCError(.cancelled, "\(method.fullName) was cancelled by the caller", outcome: sent.isSet ? .unknown : .notExecuted)
        }
    }

    private static func micros(until deadline: ContinuousClock.Instant) -> UInt64 {
        let left = deadline - .now
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        return UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000)
    }

    // MARK: Connections

    /// The ready connection, if there is one now.
    private func readyConnection() -> ClientConnection? {
        self.state.withLock { state in
            guard case .ready(let connection) = state.phase, connection.acceptsCalls else { return nil }
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
                    case .ready(let connection) where connection.acceptsCalls:
                        return .use(connection)
                    case .shutdown:
                        return .fail(RPCError(.unavailable, "the client is shut down", outcome: .notExecuted))
                    case .connecting:
                        state.waiters[id] = continuation
                        return .wait(signal: false)
                    case .idle, .ready, .backingOff:
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
                    switch await self.connectOnce(in: &group) {
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

    private func connectOnce(in group: inout DiscardingTaskGroup) async -> Result<ClientConnection, RPCError> {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<ClientConnection, RPCError>, Never>) in
            let once = Mutex<CheckedContinuation<Result<ClientConnection, RPCError>, Never>?>(continuation)
            let resolve: @Sendable (Result<ClientConnection, RPCError>) -> Void = { result in
                once.withLock { continuation in
                    defer { continuation = nil }
                    return continuation
                }?.resume(returning: result)
            }
            group.addTask {
                do {
                    try await self.transport.withConnection { frames in
                        let connection = ClientConnection(frames: frames, configuration: self.configuration, logger: self.logger)
                        defer { self.ended(connection) }
                        try await connection.run {
                            self.state.withLock { $0.live[ObjectIdentifier(connection)] = connection }
                            resolve(.success(connection))
                        } onUnusable: {
                            self.unusable(connection)
                        }
                    }
                } catch let error as RPCError {
                    resolve(.failure(RPCError(.unavailable, error.message, outcome: .notExecuted)))
                } catch {
                    resolve(.failure(RPCError(.unavailable, "cannot connect to \(self.transport.target): \(error)", outcome: .notExecuted)))
                }
                resolve(.failure(RPCError(.unavailable, "the connection to \(self.transport.target) closed during its handshake", outcome: .notExecuted)))
            }
        }
    }

    private func becameReady(_ connection: ClientConnection) {
        let waiters = self.state.withLock { state in
            if case .shutdown = state.phase { return [CheckedContinuation<ClientConnection, any Error>]() }
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
    private func unusable(_ connection: ClientConnection) {
        self.state.withLock { state in
            if case .ready(let current) = state.phase, current === connection { state.phase = .idle }
        }
    }

    private func ended(_ connection: ClientConnection) {
        self.unusable(connection)
        self.state.withLock { _ = $0.live.removeValue(forKey: ObjectIdentifier(connection)) }
    }
}

/// Whether a call's CALL frame has been handed to its connection.
private final class SentFlag: Sendable {
    private let value = Atomic(false)

    func set() {
        self.value.store(true, ordering: .relaxed)
    }

    var isSet: Bool { self.value.load(ordering: .relaxed) }
}
