import AftercareRPC
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// Systems (e) and (f)'s tracing, in the same process as (a)–(d): swift-otel's tracer is
/// bootstrapped once, as a service with `tracing.otlp.endpoint` bootstraps it (OTLP/HTTP, every span
/// the calls ask for sampled), sending to ``OTLPSink``, which accepts every batch; and
/// ``AftercareRPC/CallTracing`` is on only while (e) or (f) runs: (b) makes no span, as a service
/// without `tracing.otlp.endpoint`.
enum TracingSwitch {
    /// (f)'s `tracing.sampleRatio`.
    static let sampledShare = 0.01

    /// Bootstraps the tracer, exporting to 127.0.0.1:`port`; answers the exporter's task, which runs
    /// until cancelled.
    static func bootstrap(exportingTo port: Int) throws -> Task<Void, any Error> {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "aftercare-bench-echo"
        configuration.diagnosticLogger = .custom(Logger(label: "otel", factory: { _ in SwiftLogNoOpLogHandler() }))
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.sampler = .alwaysOn
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.otlpExporter.endpoint = "http://127.0.0.1:\(port)/v1/traces"
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        return Task { try await backend.service.run() }
    }

    /// Runs `body` with span making on for `ratio` of the traces, then has the batch processor send
    /// what is queued and waits half a second, so the next system does not pay for this one's spans.
    static func on<Result>(sampling ratio: Double, _ body: () async throws -> Result) async throws -> Result {
        CallTracing.setEnabled(true, sampling: ratio)
        defer { CallTracing.setEnabled(false) }
        let result = try await body()
        InstrumentationSystem.tracer.forceFlush()
        try await Task.sleep(for: .milliseconds(500))
        return result
    }
}
