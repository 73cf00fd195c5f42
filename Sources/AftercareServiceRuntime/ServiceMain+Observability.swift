import CoreMetrics
import Logging
import Prometheus

extension ServiceMain {
    /// Sets up swift-log for the process: text lines (swift-log's stream handler) or JSON lines
    /// (``JSONLogHandler``), as `log.format` says, at `log.level`.
    static func bootstrapLogging(_ settings: ServiceSettings) {
        LoggingSystem.bootstrap { label in
            switch settings.logFormat {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = settings.logLevel
                return handler
            case .json:
                var handler = JSONLogHandler(label: label, service: settings.executableName)
                handler.logLevel = settings.logLevel
                return handler
            }
        }
    }

    /// With `metrics.listen` set, makes swift-metrics record into a Prometheus registry, and answers
    /// it (for the endpoint to serve); unset, metrics stay swift-metrics' no-op and this answers nil.
    /// Must run before anything makes a metric.
    static func bootstrapMetrics(_ settings: ServiceSettings) -> PrometheusCollectorRegistry? {
        guard settings.metricsListen != nil else { return nil }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.durationBuckets
        MetricsSystem.bootstrap(factory)
        return registry
    }

    /// Histogram buckets of every duration: calls on one machine take well under 5 ms, which
    /// swift-prometheus' default buckets start at.
    static let durationBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2_500), .seconds(5), .seconds(10),
    ]
}
