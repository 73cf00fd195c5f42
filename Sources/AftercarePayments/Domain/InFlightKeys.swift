import Synchronization

/// The provider keys this process is working on right now, so that a retry or the background pass
/// never sends a key to its provider while another call of this process still waits on it.
/// (Several instances of payments would need a lease on the intent's row instead.)
final class InFlightKeys: Sendable {
    private let keys = Mutex<Set<String>>([])

    /// Claims `key`; `false` if it is already claimed.
    func claim(_ key: String) -> Bool {
        self.keys.withLock { $0.insert(key).inserted }
    }

    func release(_ key: String) {
        _ = self.keys.withLock { $0.remove(key) }
    }

    /// Runs `body` holding `key`; `nil` without running it if the key is already held.
    func with<T>(_ key: String, _ body: () async throws -> T) async rethrows -> T? {
        guard self.claim(key) else { return nil }
        defer { self.release(key) }
        return try await body()
    }
}
