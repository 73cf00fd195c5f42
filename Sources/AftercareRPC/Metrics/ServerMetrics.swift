import CoreMetrics

/// What a server records through swift-metrics, resolved when the server is made: each method's
/// calls and durations (``CallMetrics``), calls refused before they ran by code
/// (`aftercare_rpc_server_refused_total`), connections accepted
/// (`aftercare_rpc_server_connections_total`) and open (`aftercare_rpc_server_open_connections`). Every
/// series carries the server's name as `service`, none an id. Without a metrics backend
/// bootstrapped (`MetricsSystem.bootstrap`) every record is swift-metrics' no-op.
final class ServerMetrics: Sendable {
    private let methods: [String: CallMetrics]
    private let refused: StatusCounters
    private let accepted: Counter
    private let open: Meter

    init(service: String, methods: some Sequence<String>) {
        self.methods = Dictionary(uniqueKeysWithValues: methods.map { ($0, CallMetrics(.server, service: service, method: $0)) })
        self.refused = StatusCounters(label: "aftercare_rpc_server_refused_total", dimensions: [("service", service)])
        self.accepted = Counter(label: "aftercare_rpc_server_connections_total", dimensions: [("service", service)])
        self.open = Meter(label: "aftercare_rpc_server_open_connections", dimensions: [("service", service)])
    }

    /// The series of a routed method.
    func method(_ method: String) -> CallMetrics? {
        self.methods[method]
    }

    /// Counts a call refused before it ran (not executed): a limit, an unknown method, a caller the
    /// allow-list does not admit, a draining server. The method is not a label: an unknown one is
    /// whatever the caller sent.
    func refused(_ code: RPCError.Code) {
        self.refused.increment(code)
    }

    func connectionOpened() {
        self.accepted.increment()
        self.open.increment()
    }

    func connectionClosed() {
        self.open.decrement()
    }
}
