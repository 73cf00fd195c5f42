import Synchronization

/// The connections of one listener that have not yet finished their handshake (TLS and HELLO),
/// bounded so that silent or slow peers cannot hold descriptors and memory: past the bound the
/// oldest such connection is closed, so a real caller, which completes its handshake in
/// milliseconds, still gets in. On Unix sockets each peer uid has a smaller bound of its own, so
/// one uid cannot crowd out the others.
final class UnauthenticatedConnections: Sendable {
    private struct Entry {
        var uid: UInt32?
        var close: @Sendable () -> Void
    }

    private struct State {
        var nextID: UInt64 = 0
        /// By admission order: ids only grow.
        var entries: [UInt64: Entry] = [:]
        var order: [UInt64] = []
    }

    private let state = Mutex(State())
    let limit: Int
    let limitPerUID: Int

    init(limit: Int, limitPerUID: Int) {
        self.limit = max(1, limit)
        self.limitPerUID = max(1, limitPerUID)
    }

    /// Registers a new connection; closes the oldest ones over the bounds. Returns the id to
    /// ``authenticated(_:)`` or ``closed(_:)`` it with.
    func admit(uid: UInt32?, close: @escaping @Sendable () -> Void) -> UInt64 {
        let (id, evicted) = self.state.withLock { state -> (UInt64, [@Sendable () -> Void]) in
            state.nextID += 1
            let id = state.nextID
            var evicted: [@Sendable () -> Void] = []
            if let uid {
                let sameUID = state.order.filter { state.entries[$0]?.uid == uid }
                if sameUID.count >= self.limitPerUID, let oldest = sameUID.first, let entry = Self.remove(oldest, from: &state) {
                    evicted.append(entry.close)
                }
            }
            while state.entries.count >= self.limit, let oldest = state.order.first {
                if let entry = Self.remove(oldest, from: &state) { evicted.append(entry.close) }
            }
            state.entries[id] = Entry(uid: uid, close: close)
            state.order.append(id)
            return (id, evicted)
        }
        for close in evicted { close() }
        return id
    }

    /// The connection finished its handshake: it no longer counts.
    func authenticated(_ id: UInt64) {
        self.state.withLock { _ = Self.remove(id, from: &$0) }
    }

    /// The connection closed.
    func closed(_ id: UInt64) {
        self.authenticated(id)
    }

    /// How many connections are waiting now.
    var count: Int { self.state.withLock { $0.entries.count } }

    private static func remove(_ id: UInt64, from state: inout State) -> Entry? {
        guard let entry = state.entries.removeValue(forKey: id) else { return nil }
        if let index = state.order.firstIndex(of: id) { state.order.remove(at: index) }
        return entry
    }
}
