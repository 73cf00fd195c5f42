import NIOCore
import Synchronization

/// A server's open connections, across its transports: what a graceful shutdown drains, and
/// what ``RPCServer/run()`` waits for before it returns.
final class ServerConnections: Sendable {
    private struct State {
        var draining = false
        var open: [ObjectIdentifier: NIOLoopBound<ServerConnectionHandler>] = [:]
        var emptyWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Registers a new connection; returns whether the server is draining (the connection should
    /// drain at once).
    func add(_ connection: NIOLoopBound<ServerConnectionHandler>) -> Bool {
        self.state.withLock { state in
            state.open[ObjectIdentifier(connection.value)] = connection
            return state.draining
        }
    }

    func remove(_ connection: ServerConnectionHandler) {
        let waiters = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open[ObjectIdentifier(connection)] = nil
            guard state.open.isEmpty else { return [] }
            defer { state.emptyWaiters = [] }
            return state.emptyWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Drains every open connection, and every one that opens from now on.
    func drainAll() {
        let open = self.state.withLock { state in
            state.draining = true
            return Array(state.open.values)
        }
        for connection in open {
            connection.eventLoop.execute { connection.value.beginDrain() }
        }
    }

    /// Suspends until no connection is open.
    func waitUntilEmpty() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let empty = self.state.withLock { state in
                if state.open.isEmpty { return true }
                state.emptyWaiters.append(continuation)
                return false
            }
            if empty { continuation.resume() }
        }
    }
}
