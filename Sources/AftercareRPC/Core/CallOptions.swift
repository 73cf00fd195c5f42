public import AftercareWire

/// What a client call carries besides its request (WIRE.md §5.2).
public struct CallOptions: Sendable {
    /// How long the caller waits; `nil` uses the client's default timeout.
    public var timeout: Duration?
    /// The trace the call belongs to; `nil` starts a new trace.
    public var traceParent: TraceParent?
    public var saga: SagaContext?
    /// `nil` with a saga context: the saga's default key is used.
    public var idempotencyKey: String?
    /// On whose behalf the caller acts, e.g. `buyer:b_42`.
    public var actor: String?
    public var metadata: Metadata

    public init(
        timeout: Duration? = nil,
        traceParent: TraceParent? = nil,
        saga: SagaContext? = nil,
        idempotencyKey: String? = nil,
        actor: String? = nil,
        metadata: Metadata = [:]
    ) {
        self.timeout = timeout
        self.traceParent = traceParent
        self.saga = saga
        self.idempotencyKey = idempotencyKey
        self.actor = actor
        self.metadata = metadata
    }

    public static let defaults = CallOptions()
}
