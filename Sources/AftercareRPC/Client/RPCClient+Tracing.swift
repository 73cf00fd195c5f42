import Tracing

// A call's client span, when tracing is on (``CallTracing``).
extension RPCClient {
    /// Starts the client span of a call to `method`, a child of the trace parent the caller gave (a
    /// handler's span, a saga step's) or the first span of a new trace; answers `options` with the
    /// span's ids as the traceparent the call carries, so the server's span is the client span's child.
    /// No span, and `options` as they are, when the caller's trace is not sampled.
    static func startSpan(_ method: String, _ options: CallOptions) -> (CallOptions, TracedSpan?) {
        guard let traced = CallTracing.startSpan(method, ofKind: .client, under: options.traceParent) else { return (options, nil) }
        var options = options
        if let ids = traced.ids { options.traceParent = ids }
        CallSpanAttributes.start(traced.span, method: method, saga: options.saga)
        return (options, traced)
    }
}
