import CoreMetrics
import Synchronization

/// One counter per status code of one labelled series (`code="OK"`, `code="NOT_FOUND"`, …), each
/// made the first time its code is counted: a code that never happens is not exported, and a code
/// that happens is counted with one lock and one atomic add.
final class StatusCounters: Sendable {
    private let label: String
    private let dimensions: [(String, String)]
    private let counters = Mutex<[Counter?]>(Array(repeating: nil, count: RPCError.Code.names.count))

    init(label: String, dimensions: [(String, String)]) {
        self.label = label
        self.dimensions = dimensions
    }

    /// Adds one call that ended with `code` (a code outside the set counts as `UNKNOWN`).
    func increment(_ code: RPCError.Code) {
        let index = Int(RPCError.Code(wire: code.rawValue).rawValue)
        let counter = self.counters.withLock { counters in
            if let counter = counters[index] { return counter }
            let counter = Counter(label: self.label, dimensions: self.dimensions + [("code", RPCError.Code.names[index])])
            counters[index] = counter
            return counter
        }
        counter.increment()
    }
}
