import CoreMetrics

/// What a server records through swift-metrics, resolved when the server is made: each method's
/// calls and durations (``CallMetrics``), calls refused before they ran by code
/// (`aftercare_rpc_server_refused_total`), and its connections and their bytes
/// (``ConnectionMetrics``). Every
/// series carries the server's name as `service`, none an id. Without a metrics backend
/// bootstrapped (`MetricsSystem.bootstrap`) every record is swift-metrics' no-op.
final class ServerMetrics: Sendable {
    private let methods: [String: CallMetrics]
    private let refused: StatusCounters
    /// Connections accepted and open, and the bytes they carried.
    let connections: ConnectionMetrics

    init(service: String, methods: some Sequence<String>) {
        self.methods = Dictionary(uniqueKeysWithValues: methods.map { ($0, CallMetrics(.server, service: service, method: $0)) })
        self.refused = StatusCounters(label: "aftercare_rpc_server_refused_total", dimensions: [("service", service)])
        self.connections = ConnectionMetrics(.server, service: service)
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
}
