/// Which sagas a listing shows, newest first, a page at a time.
public struct SagaFilter: Sendable, Hashable {
    /// Only sagas in this state; `nil`: any.
    public var state: SagaState?
    /// Only sagas waiting to try again: running or compensating, their newest attempt failed, still
    /// pending with an outside party, or never arrived (``SagaAttempt/Result/waitsForRetry``).
    public var waiting: Bool
    /// Only sagas of this definition; `nil`: any.
    public var definition: String?
    /// Only sagas with these ids (a case's, say); `nil`: any.
    public var ids: Set<String>?
    /// Only sagas created at or after / before these times.
    public var createdAtOrAfterMicros: Int64?
    public var createdBeforeMicros: Int64?
    /// Only sagas listed after this one (the previous page's last): older, or as old with a
    /// smaller id.
    public var after: SagaCursor?
    /// At most this many.
    public var limit: Int

    public init(
        state: SagaState? = nil, waiting: Bool = false, definition: String? = nil, ids: Set<String>? = nil, createdAtOrAfterMicros: Int64? = nil,
        createdBeforeMicros: Int64? = nil, after: SagaCursor? = nil, limit: Int = 50
    ) {
        self.state = state
        self.waiting = waiting
        self.definition = definition
        self.ids = ids
        self.createdAtOrAfterMicros = createdAtOrAfterMicros
        self.createdBeforeMicros = createdBeforeMicros
        self.after = after
        self.limit = limit
    }
}

/// Where a page of sagas ended: the last saga's creation time and id.
public struct SagaCursor: Sendable, Hashable, CustomStringConvertible {
    public var createdMicros: Int64
    public var id: String

    public init(createdMicros: Int64, id: String) {
        self.createdMicros = createdMicros
        self.id = id
    }

    /// `<created micros>:<id>`, the page token.
    public var description: String { "\(self.createdMicros):\(self.id)" }

    /// Parses a ``description``.
    public init?(_ token: String) {
        guard let colon = token.firstIndex(of: ":"), let created = Int64(token[..<colon]), token.index(after: colon) < token.endIndex else {
            return nil
        }
        self.init(createdMicros: created, id: String(token[token.index(after: colon)...]))
    }
}
