import Synchronization

/// The bytes of requests still arriving in fragments, across all of a server's connections,
/// against a bound (WIRE.md §11): past it, a call is refused rather than buffered.
final class RequestMemory: Sendable {
    private let held = Atomic(0)
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes `bytes` from the budget, or returns `false` when they do not fit.
    func reserve(_ bytes: Int) -> Bool {
        var current = self.held.load(ordering: .relaxed)
        while true {
            guard current + bytes <= self.limit else { return false }
            let (exchanged, original) = self.held.compareExchange(expected: current, desired: current + bytes, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    func release(_ bytes: Int) {
        self.held.subtract(bytes, ordering: .relaxed)
    }

    /// The bytes held now.
    var bytes: Int { self.held.load(ordering: .relaxed) }
}
