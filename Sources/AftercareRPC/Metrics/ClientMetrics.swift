import Synchronization

/// What a client records through swift-metrics: each method's calls by status code and their
/// durations (``CallMetrics``, `aftercare_rpc_client_*`), and its connections and their bytes
/// (``ConnectionMetrics``), labelled with the client's own name as `service`. A method's series
/// are made at its first call and kept.
final class ClientMetrics: Sendable {
    private let service: String
    private let methods = Mutex<[String: CallMetrics]>([:])
    /// Connections established and open, and the bytes they carried.
    let connections: ConnectionMetrics

    init(service: String) {
        self.service = service
        self.connections = ConnectionMetrics(.client, service: service)
    }

    /// The series of `method`.
    func method(_ method: String) -> CallMetrics {
        self.methods.withLock { methods in
            if let metrics = methods[method] { return metrics }
            let metrics = CallMetrics(.client, service: self.service, method: method)
            methods[method] = metrics
            return metrics
        }
    }
}
