public import AftercareWire

/// Where a server keeps the spans of the calls it served. Services later keep them in their own
/// database; the runtime only needs these two calls.
public protocol SpanStore: Sendable {
    /// Keeps one span. Synchronous, and must not block for long: it runs at the end of every call,
    /// on the connection's event loop for a handler that answered there (queue the span, write it
    /// later, as ``InMemorySpanStore`` and the services' store do).
    func record(_ span: SpanRecord)
    /// The spans of one trace, oldest first, at most `limit`.
    func spans(traceID: TraceID, limit: Int) async throws -> [SpanRecord]
}
