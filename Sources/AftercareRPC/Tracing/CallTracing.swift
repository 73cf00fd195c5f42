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
///
/// **Sampling** is a property of the trace, decided from its id alone, as OpenTelemetry's
/// `TraceIdRatioBased` sampler decides it: a trace is sampled when the last 8 bytes of its id, read as
/// that sampler reads them, fall below `ratio × 2⁶⁴`. Every process with the same ratio therefore
/// makes the same decision for the same trace — with no flag to carry through the saga log or the
/// event feed, and again after a restart — and a trace is exported whole or not at all. For a trace
/// not sampled no span is made: the call pays the atomic loads and this comparison. (A call that
/// starts a trace, without a parent, goes to the tracer, whose sampler must be the same ratio's.)
public enum CallTracing {
    private static let enabled = Atomic<Bool>(false)
    /// Traces whose id's sampling value is below this are sampled; `.max` samples every one.
    private static let sampleBound = Atomic<UInt64>(.max)

    /// Whether calls make spans now (for the traces that are sampled).
    public static var isEnabled: Bool { Self.enabled.load(ordering: .relaxed) }

    /// Turns span making on or off, sampling `ratio` of the traces (every one by default); on only
    /// after a tracer is bootstrapped in `InstrumentationSystem` whose sampler samples the same
    /// ratio by trace id.
    ///
    /// - Parameters:
    ///   - on: Whether calls make spans.
    ///   - ratio: The share of traces sampled, from 0 to 1.
    public static func setEnabled(_ on: Bool, sampling ratio: Double = 1) {
        precondition((0...1).contains(ratio), "a sampling ratio is between 0 and 1")
        Self.sampleBound.store(Self.bound(ratio), ordering: .relaxed)
        Self.enabled.store(on, ordering: .relaxed)
    }

    /// Whether a span is made for `traceID`'s trace: tracing is on and the trace is sampled.
    package static func traces(_ traceID: TraceID) -> Bool {
        guard Self.isEnabled else { return false }
        let bound = Self.sampleBound.load(ordering: .relaxed)
        if bound == .max { return true }
        if bound == .min { return false }
        return Self.samplingValue(traceID) < bound
    }

    /// The sampling bound of `ratio`, as OpenTelemetry's `TraceIdRatioBased` sampler computes it.
    static func bound(_ ratio: Double) -> UInt64 {
        switch ratio {
        case ...0: .min
        case 1...: .max
        default: UInt64(ratio * Double(UInt64.max))
        }
    }

    /// The value a trace id is sampled by: its last 8 bytes (``TraceID/low``, big-endian on the wire),
    /// loaded in the machine's byte order, as `TraceIdRatioBased` loads them.
    static func samplingValue(_ traceID: TraceID) -> UInt64 {
        withUnsafeBytes(of: traceID.low.bigEndian) { $0.loadUnaligned(as: UInt64.self) }
    }

    /// Starts a span named `name`, a child of `parent` as the wire carries it (the caller's trace and
    /// span id), or the first span of a new trace when `parent` is `nil`; `nil` when tracing is off or
    /// `parent`'s trace is not sampled. A new trace is the tracer's to sample.
    package static func startSpan(_ name: String, ofKind kind: SpanKind, under parent: TraceParent?) -> TracedSpan? {
        let tracer = InstrumentationSystem.tracer
        var context = ServiceContext.topLevel
        if let parent {
            guard Self.traces(parent.traceID) else { return nil }
            // Sampled whatever the caller's flags say: the trace id decided it.
            let header = W3CTraceHeaders(traceparent: TraceParent(traceID: parent.traceID, parentID: parent.parentID, flags: 1).w3cText)
            tracer.extract(header, into: &context, using: W3CTraceHeaders.Access())
        } else if !Self.isEnabled {
            return nil
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
