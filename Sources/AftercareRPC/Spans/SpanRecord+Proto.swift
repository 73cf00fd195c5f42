import AftercareWire

extension Aftercare_Common_V1_Span {
    /// The wire form of a span record.
    public init(_ record: SpanRecord) {
        self.init()
        self.traceID = "\(record.traceID)"
        self.spanID = hex16(record.spanID)
        self.parentSpanID = record.parentSpanID.map(hex16) ?? ""
        self.service = record.service
        self.method = record.method
        self.caller = record.caller
        if let saga = record.saga {
            var context = Aftercare_Common_V1_SagaContext()
            context.sagaID = saga.sagaID
            context.step = saga.step
            context.direction = saga.direction == .forward ? .forward : .compensate
            context.attempt = UInt32(saga.attempt)
            self.saga = context
        }
        self.actor = record.actor ?? ""
        self.idempotencyKey = record.idempotencyKey ?? ""
        self.startUnixMicros = record.startUnixMicros
        self.durationMicros = record.durationMicros
        self.statusCode = UInt32(record.status.rawValue)
        self.statusMessage = record.statusMessage
        self.outcome = Aftercare_Common_V1_Outcome(rawValue: Int(record.outcome.rawValue)) ?? .unknown
    }
}

extension SpanRecord {
    /// A span record from its wire form; `nil` if its ids do not parse.
    public init?(_ span: Aftercare_Common_V1_Span) {
        guard let traceID = TraceID(hex: span.traceID), let spanID = UInt64(span.spanID, radix: 16) else { return nil }
        self.init(
            traceID: traceID,
            spanID: spanID,
            parentSpanID: UInt64(span.parentSpanID, radix: 16),
            service: span.service,
            method: span.method,
            caller: span.caller,
            saga: span.hasSaga
                ? SagaContext(
                    sagaID: span.saga.sagaID, step: span.saga.step, direction: span.saga.direction == .compensate ? .compensate : .forward,
                    attempt: UInt16(clamping: span.saga.attempt))
                : nil,
            actor: span.actor.isEmpty ? nil : span.actor,
            idempotencyKey: span.idempotencyKey.isEmpty ? nil : span.idempotencyKey,
            startUnixMicros: span.startUnixMicros,
            durationMicros: span.durationMicros,
            status: RPCError.Code(rawValue: UInt16(clamping: span.statusCode)),
            statusMessage: span.statusMessage,
            outcome: CallOutcome(rawValue: UInt8(clamping: span.outcome.rawValue)) ?? .unknown
        )
    }
}
