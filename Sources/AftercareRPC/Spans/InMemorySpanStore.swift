public import AftercareWire
import Synchronization

/// A bounded span store in memory: when full, the oldest span goes.
public final class InMemorySpanStore: SpanStore {
    private struct Ring {
        var spans: [SpanRecord?]
        var next = 0
    }

    private let ring: Mutex<Ring>
    /// How many spans are kept at most.
    public let capacity: Int

    /// - Parameter capacity: spans kept at most (default 10,000).
    public init(capacity: Int = 10_000) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
        self.ring = Mutex(Ring(spans: Array(repeating: nil, count: capacity)))
    }

    public func record(_ span: SpanRecord) {
        self.ring.withLock { ring in
            ring.spans[ring.next] = span
            ring.next = (ring.next + 1) % self.capacity
        }
    }

    public func spans(traceID: TraceID, limit: Int) async throws -> [SpanRecord] {
        self.ring.withLock { ring in
            // Oldest first, without copying the ring: it is read under the lock, often (tests poll it).
            var found: [SpanRecord] = []
            for offset in 0..<self.capacity where found.count < limit {
                if let span = ring.spans[(ring.next + offset) % self.capacity], span.traceID == traceID {
                    found.append(span)
                }
            }
            return found
        }
    }

    /// How many spans are held now.
    public var count: Int {
        self.ring.withLock { ring in ring.spans.lazy.filter { $0 != nil }.count }
    }
}
