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
    /// A logger carrying `trace.id`, `span.id`, `rpc.method` and, in a saga, `saga.id`, `saga.step` and
    /// `saga.direction`. Made when read (a call that never logs pays nothing for it); a logger
    /// assigned here is kept as it is.
    public var logger: Logger {
        get {
            if let assigned = self.assignedLogger { return assigned }
            var entries: Logger.Metadata = [
                "trace.id": "\(self.traceID)", "span.id": "\(hex16(self.spanID))", "rpc.method": "\(self.method)",
            ]
            if let saga = self.saga {
                entries["saga.id"] = "\(saga.sagaID)"
                entries["saga.step"] = "\(saga.step)"
                entries["saga.direction"] = "\(saga.direction)"
            }
            return self.connectionLogger.adding(entries)
        }
        set {
            self.assignedLogger = newValue
        }
    }

    /// The logger of the call's connection, which ``logger`` adds the call's metadata to.
    private var connectionLogger: Logger
    private var assignedLogger: Logger?

    public init(
        method: String,
        deadline: ContinuousClock.Instant,
        metadata: Metadata = [:],
        saga: SagaContext? = nil,
        idempotencyKey: String? = nil,
        actor: String? = nil,
        peer: PeerIdentity = .anonymous,
        traceID: TraceID = .random(),
        spanID: UInt64 = TraceIDGenerator.spanID(),
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
        self.connectionLogger = logger
        self.assignedLogger = logger
    }

    /// A context whose ``logger`` is `connectionLogger` with the call's metadata added when read.
    init(
        method: String,
        deadline: ContinuousClock.Instant,
        metadata: Metadata,
        saga: SagaContext?,
        idempotencyKey: String?,
        actor: String?,
        peer: PeerIdentity,
        traceID: TraceID,
        parentSpanID: UInt64?,
        connectionLogger: Logger
    ) {
        self.init(
            method: method, deadline: deadline, metadata: metadata, saga: saga, idempotencyKey: idempotencyKey, actor: actor,
            peer: peer, traceID: traceID, parentSpanID: parentSpanID, logger: connectionLogger)
        self.assignedLogger = nil
    }

    /// A traceparent for calls this handler makes, so they join its trace as its children.
    public var outgoingTraceParent: TraceParent {
        TraceParent(traceID: self.traceID, parentID: self.spanID)
    }
}
