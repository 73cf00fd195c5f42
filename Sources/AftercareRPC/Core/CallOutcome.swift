/// Whether a call's effect happened (WIRE.md §7.2): the saga engine's retry / ask / compensate
/// decision reads this.
public enum CallOutcome: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// The handler never ran; retrying is safe.
    case notExecuted = 0
    /// The handler ran to its end; the status says how.
    case executed = 1
    /// The handler started and was interrupted, or the answer was lost.
    case unknown = 2

    public var description: String {
        switch self {
        case .notExecuted: "not executed"
        case .executed: "executed"
        case .unknown: "unknown"
        }
    }
}
