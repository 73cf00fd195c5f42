import CoreMetrics

/// One method's series on one side of its calls: the calls by status code
/// (`aftercare_rpc_<side>_calls_total{service,method,code}`) and their durations
/// (`aftercare_rpc_<side>_duration_seconds{service,method}`, a histogram).
final class CallMetrics: Sendable {
    /// Which end of the call records.
    enum Side: String, Sendable {
        case server
        case client
    }

    private let calls: StatusCounters
    private let duration: Timer

    /// - Parameters:
    ///   - service: the name of the process that records (`aftercare-gateway`).
    ///   - method: the method's wire name.
    init(_ side: Side, service: String, method: String) {
        let dimensions = [("service", service), ("method", method)]
        self.calls = StatusCounters(label: "aftercare_rpc_\(side.rawValue)_calls_total", dimensions: dimensions)
        self.duration = Timer(label: "aftercare_rpc_\(side.rawValue)_duration_seconds", dimensions: dimensions)
    }

    /// Records a finished call: its status and how long it took.
    func finished(_ code: RPCError.Code, after elapsed: Duration) {
        self.calls.increment(code)
        self.duration.recordNanoseconds(elapsed.nanoseconds)
    }
}
