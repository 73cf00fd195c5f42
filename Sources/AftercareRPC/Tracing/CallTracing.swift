package import AftercareWire
import Synchronization
package import Tracing

/// Whether Aftercare's servers, clients and saga engine make spans, through swift-distributed-tracing's
/// `InstrumentationSystem.tracer`: off (the default) they make none and pay one atomic load per call.
/// A service with `tracing.otlp.endpoint` bootstraps swift-otel's tracer and turns this on.
///
/// The wire's trace context stays the source of truth: a span made here joins the trace the call
/// carries, and its ids are the ones `aftercare trace` shows (a server span's id is the id of the
/// span the server keeps in its database).
public enum CallTracing {
    private static let enabled = Atomic<Bool>(false)

    /// Whether calls make spans now.
    public static var isEnabled: Bool { Self.enabled.load(ordering: .relaxed) }

    /// Turns span making on or off; on only after a tracer is bootstrapped in `InstrumentationSystem`.
    public static func setEnabled(_ on: Bool) {
        Self.enabled.store(on, ordering: .relaxed)
    }

    /// Starts a span named `name`, a child of `parent` as the wire carries it (the caller's trace and
    /// span id), or the first span of a new trace when `parent` is `nil`.
    package static func startSpan(_ name: String, ofKind kind: SpanKind, under parent: TraceParent?) -> TracedSpan {
        let tracer = InstrumentationSystem.tracer
        var context = ServiceContext.topLevel
        if let parent {
            // Sampled whatever the caller's flags say: the service decided to trace when it was configured.
            let header = W3CTraceHeaders(traceparent: TraceParent(traceID: parent.traceID, parentID: parent.parentID, flags: 1).description)
            tracer.extract(header, into: &context, using: W3CTraceHeaders.Access())
        }
        return TracedSpan(tracer.startSpan(name, context: context, ofKind: kind), tracer: tracer)
    }

    /// Starts a span named `name`, a child of the span in `context` (a saga's step under its saga).
    package static func startSpan(_ name: String, ofKind kind: SpanKind, in context: ServiceContext) -> TracedSpan {
        let tracer = InstrumentationSystem.tracer
        return TracedSpan(tracer.startSpan(name, context: context, ofKind: kind), tracer: tracer)
    }
}

/// A span and its ids in the wire's form: calls made under it carry ``ids`` as their traceparent.
package struct TracedSpan: Sendable {
    package let span: any Span
    /// The span's trace and its own span id; `nil` if the tracer made no span context (a no-op tracer).
    package let ids: TraceParent?

    init(_ span: any Span, tracer: any Tracer) {
        self.span = span
        var header = W3CTraceHeaders()
        tracer.inject(span.context, into: &header, using: W3CTraceHeaders.Access())
        self.ids = header.traceparent.flatMap(TraceParent.init(w3c:))
    }
}

/// The one W3C header a span's context travels in between ``CallTracing`` and the tracer.
struct W3CTraceHeaders: Sendable {
    var traceparent: String?

    struct Access: Extractor, Injector {
        func extract(key: String, from carrier: W3CTraceHeaders) -> String? {
            key == "traceparent" ? carrier.traceparent : nil
        }

        func inject(_ value: String, forKey key: String, into carrier: inout W3CTraceHeaders) {
            if key == "traceparent" { carrier.traceparent = value }
        }
    }
}

extension TraceParent {
    /// Parses the W3C text form `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`.
    init?(w3c text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 4, parts[0] == "00", let traceID = TraceID(hex: parts[1]), !traceID.isZero, parts[2].utf8.count == 16,
            let parentID = UInt64(parts[2], radix: 16), parentID != 0, let flags = UInt8(parts[3], radix: 16)
        else { return nil }
        self.init(traceID: traceID, parentID: parentID, flags: flags)
    }
}
