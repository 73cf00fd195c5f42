import AftercareWire
import Logging
import NIOCore
import Synchronization

/// One address an ``RPCClient`` calls: its multiplexed connection, made lazily when a call waits
/// for it and made again with back-off after it failed (WIRE.md §2, §6, §9). A client over several
/// instances of a service has one endpoint per instance.
final class ClientEndpoint: Sendable {
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

    let transport: any ClientTransport
    private let configuration: RPCClient.Configuration
    private let logger: Logger
    private let metrics: ClientMetrics
    private let state = Mutex(State())
    private let demand: AsyncStream<Void>
    private let demandContinuation: AsyncStream<Void>.Continuation

    init(transport: any ClientTransport, configuration: RPCClient.Configuration, logger: Logger, metrics: ClientMetrics) {
        self.transport = transport
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        (self.demand, self.demandContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Whether the last attempt to connect failed and its back-off has not passed yet: a client
    /// with other endpoints tries them first.
    var isBackingOff: Bool {
        self.state.withLock { state in
            guard case .backingOff(let until) = state.phase else { return false }
            return until > .now
        }
    }

    /// The ready connection, if there is one now.
    func readyConnection() -> ClientConnection? {
        self.state.withLock { state in
            guard case .ready(let connection) = state.phase else { return nil }
            return connection
        }
    }

    /// A ready connection, waiting for one to be made if needed. Fails with UNAVAILABLE (not
    /// executed) when the attempt it waited for could not connect.
    func connection() async throws -> ClientConnection {
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

    /// Connects whenever calls wait for a connection, until shut down; then lets the open
    /// connections finish their calls and closes them.
    func run() async {
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
    }

    /// Refuses new calls and ends ``run()`` (which lets open calls finish).
    func beginGracefulShutdown() {
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
