import CoreMetrics
import Prometheus
import Synchronization

/// System (d)'s metrics, in the same process as (a), (b) and (c): swift-metrics is bootstrapped once
/// with this factory, which hands out swift-prometheus' handlers while on and swift-metrics' no-op
/// handlers while off. Aftercare makes its handlers when a server or client is made (and at a
/// method's or status code's first call), so a system made and measured while on records every
/// call into ``registry``, and one made while off records nothing, as a service without
/// `metrics.listen`.
final class MetricsSwitch: MetricsFactory, Sendable {
    static let shared = MetricsSwitch()

    let registry = PrometheusCollectorRegistry()
    private let prometheus: PrometheusMetricsFactory
    private let on = Atomic(false)

    private init() {
        var prometheus = PrometheusMetricsFactory(registry: self.registry)
        // The buckets the services use (ServiceMain+Observability.swift).
        prometheus.defaultDurationHistogramBuckets = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .milliseconds(2_500), .seconds(5), .seconds(10),
        ]
        self.prometheus = prometheus
    }

    /// Runs `body` with the switch on.
    func on<Result>(_ body: () async throws -> Result) async rethrows -> Result {
        self.on.store(true, ordering: .sequentiallyConsistent)
        defer { self.on.store(false, ordering: .sequentiallyConsistent) }
        return try await body()
    }

    private var factory: any MetricsFactory {
        self.on.load(ordering: .sequentiallyConsistent) ? self.prometheus : NOOPMetricsHandler.instance
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        self.factory.makeCounter(label: label, dimensions: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        self.factory.makeFloatingPointCounter(label: label, dimensions: dimensions)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        self.factory.makeMeter(label: label, dimensions: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        self.factory.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        self.factory.makeTimer(label: label, dimensions: dimensions)
    }

    // Handlers are kept for the process's life: nothing is destroyed.
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    /// The value of the calls counter of `method` with status OK on the server, as scraped.
    func servedOK(_ method: String) -> Int {
        var text: [UInt8] = []
        self.registry.emit(into: &text)
        let prefix = "aftercare_rpc_server_calls_total{service=\"aftercare-bench-echo\",method=\"\(method)\",code=\"OK\"} "
        let line = String(decoding: text, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
    }
}
