public import AftercareWire
public import Logging

/// What a handler knows about the call it serves.
public struct ServerContext: Sendable {
    /// `<package>.<Service>/<Method>`.
    public var method: String
    /// When the caller stops waiting; the handler is cancelled then.
    public var deadline: ContinuousClock.Instant
    public var metadata: Metadata
    public var saga: SagaContext?
    /// The call's idempotency key: the one it carried, or its saga's default.
    public var idempotencyKey: String?
    /// On whose behalf the caller acts.
    public var actor: String?
    /// The authenticated caller.
    public var peer: PeerIdentity
    /// The trace this call runs in, and this call's own span id.
    public var traceID: TraceID
    public var spanID: UInt64
    /// The caller's span id, if it sent a traceparent.
    public var parentSpanID: UInt64?
    /// A logger carrying `trace.id`, `rpc.method` and, in a saga, `saga.id` and `saga.step`.
    public var logger: Logger

    public init(
        method: String,
        deadline: ContinuousClock.Instant,
        metadata: Metadata = [:],
        saga: SagaContext? = nil,
        idempotencyKey: String? = nil,
        actor: String? = nil,
        peer: PeerIdentity = .anonymous,
        traceID: TraceID = .random(),
        spanID: UInt64 = .random(in: 1...UInt64.max),
        parentSpanID: UInt64? = nil,
        logger: Logger
    ) {
        self.method = method
        self.deadline = deadline
        self.metadata = metadata
        self.saga = saga
        self.idempotencyKey = idempotencyKey
        self.actor = actor
        self.peer = peer
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.logger = logger
    }

    /// A traceparent for calls this handler makes, so they join its trace as its children.
    public var outgoingTraceParent: TraceParent {
        TraceParent(traceID: self.traceID, parentID: self.spanID)
    }
}
