public import AftercareWire

/// One call a server served (WIRE.md §13): what the debug CLI joins into a saga's timeline.
public struct SpanRecord: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: UInt64
    public var parentSpanID: UInt64?
    /// The server that served it, e.g. `aftercare-orders`.
    public var service: String
    public var method: String
    /// The caller's principals, comma-separated.
    public var caller: String
    public var saga: SagaContext?
    public var actor: String?
    public var idempotencyKey: String?
    /// Wall-clock start, microseconds since the Unix epoch.
    public var startUnixMicros: Int64
    public var durationMicros: Int64
    public var status: RPCError.Code
    public var statusMessage: String
    public var outcome: CallOutcome

    public init(
        traceID: TraceID,
        spanID: UInt64,
        parentSpanID: UInt64? = nil,
        service: String,
        method: String,
        caller: String,
        saga: SagaContext? = nil,
        actor: String? = nil,
        idempotencyKey: String? = nil,
        startUnixMicros: Int64,
        durationMicros: Int64,
        status: RPCError.Code,
        statusMessage: String = "",
        outcome: CallOutcome
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.service = service
        self.method = method
        self.caller = caller
        self.saga = saga
        self.actor = actor
        self.idempotencyKey = idempotencyKey
        self.startUnixMicros = startUnixMicros
        self.durationMicros = durationMicros
        self.status = status
        self.statusMessage = statusMessage
        self.outcome = outcome
    }
}
