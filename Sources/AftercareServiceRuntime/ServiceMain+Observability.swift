import AftercareRPC
import CoreMetrics
import Logging
import OTel
import Prometheus
import ServiceLifecycle
import Tracing

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

    /// With `tracing.otlp.endpoint` set, bootstraps swift-otel's tracer (OTLP/HTTP, protobuf, to
    /// `<endpoint>/v1/traces`, the traces `tracing.sampleRatio` samples by their ids — the sampler
    /// ``AftercareRPC/CallTracing`` applies before it asks the tracer for a span, and the one the
    /// tracer applies to a trace it starts —, sent in batches every `tracing.batchDelayMs`, the
    /// resource's `service.name` the executable's name) and turns ``AftercareRPC/CallTracing`` on;
    /// answers the exporter's service, whose batch processor sends what is left when it shuts down.
    /// Unset, the instrumentation stays swift-distributed-tracing's no-op and this answers nil. The
    /// standard `OTEL_*` environment variables override these.
    static func bootstrapTracing(_ settings: ServiceSettings, logger: Logger) throws -> (any Service)? {
        guard let endpoint = settings.tracingEndpoint else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = settings.executableName
        configuration.diagnosticLogger = .custom(logger)
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.sampler = settings.tracingSampleRatio == 1 ? .alwaysOn : .traceIDRatio(ratio: settings.tracingSampleRatio) ?? .alwaysOn
        configuration.traces.batchSpanProcessor.scheduleDelay = .milliseconds(settings.tracingBatchDelayMs)
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.otlpExporter.endpoint = "\(endpoint)/v1/traces"
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        CallTracing.setEnabled(true, sampling: settings.tracingSampleRatio)
        return backend.service
    }

    /// Histogram buckets of every duration: calls on one machine take well under 5 ms, which
    /// swift-prometheus' default buckets start at.
    static let durationBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2_500), .seconds(5), .seconds(10),
    ]
}
