extension AftercareClient {
    /// What one call may set beyond its request.
    public struct CallOptions: Sendable {
        /// The deadline of each try; `nil`: the configuration's ``Configuration/defaultTimeout``.
        public var timeout: Duration?
        /// The idempotency key of a mutating call; `nil`: the client makes one for this call (kept
        /// across its retries). Give your own to retry across process restarts.
        public var idempotencyKey: String?
        /// Whom this call acts for; `nil`: the client's party.
        public var party: Party?
        /// The trace to join, 32 lowercase hex digits; `nil` starts a new one.
        public var traceID: String?

        public init(timeout: Duration? = nil, idempotencyKey: String? = nil, party: Party? = nil, traceID: String? = nil) {
            self.timeout = timeout
            self.idempotencyKey = idempotencyKey
            self.party = party
            self.traceID = traceID
        }
    }
}
