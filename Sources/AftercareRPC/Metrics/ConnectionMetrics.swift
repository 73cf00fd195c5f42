import CoreMetrics

/// What one side of a process's connections records through swift-metrics, resolved once: the
/// connections made (`aftercare_rpc_<side>_connections_total`; accepted by a server, established
/// — past HELLO — by a client), those open (`aftercare_rpc_<side>_open_connections`) and the
/// protocol's bytes each way (`aftercare_rpc_<side>_received_bytes_total`,
/// `aftercare_rpc_<side>_sent_bytes_total`: frames as the protocol encodes them, TLS records'
/// overhead not counted). Labelled with the process's name as `service`.
final class ConnectionMetrics: Sendable {
    private let made: Counter
    private let open: Meter
    private let receivedBytes: Counter
    /// Bytes written to connections, counted per write (by ``OutboundFrames``).
    let sent: Counter

    init(_ side: CallMetrics.Side, service: String) {
        let dimensions = [("service", service)]
        let prefix = "aftercare_rpc_\(side.rawValue)"
        self.made = Counter(label: "\(prefix)_connections_total", dimensions: dimensions)
        self.open = Meter(label: "\(prefix)_open_connections", dimensions: dimensions)
        self.receivedBytes = Counter(label: "\(prefix)_received_bytes_total", dimensions: dimensions)
        self.sent = Counter(label: "\(prefix)_sent_bytes_total", dimensions: dimensions)
    }

    func opened() {
        self.made.increment()
        self.open.increment()
    }

    func closed() {
        self.open.decrement()
    }

    /// Counts a read of `bytes` bytes.
    func received(_ bytes: Int) {
        self.receivedBytes.increment(by: Int64(bytes))
    }
}
