import AftercareWire
import Tracing

// A call's server span, when tracing is on (``CallTracing``).
extension ServerRuntime {
    /// Starts the server span of the call `context` describes, as a child of the caller's span the
    /// call carried, and makes the span's ids the call's: its trace id (the carried one, or a new
    /// trace's) and its own span id, which the span store keeps and `aftercare trace` shows. `nil`,
    /// and `context` unchanged, when the carried trace is not sampled.
    func startSpan(_ context: inout ServerContext, carried: TraceParent?) -> TracedSpan? {
        guard let traced = CallTracing.startSpan(context.method, ofKind: .server, under: carried) else { return nil }
        if let ids = traced.ids {
            context.traceID = ids.traceID
            context.spanID = ids.parentID
        }
        CallSpanAttributes.start(traced.span, method: context.method, saga: context.saga)
        return traced
    }
}
