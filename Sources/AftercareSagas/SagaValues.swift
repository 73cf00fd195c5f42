/// A saga's values: its input plus what its steps output (a refund id a later step needs, say).
///
/// Requests are built from these values, so a retry sends the same request. Stored as a JSON
/// object of strings in the saga log.
public struct SagaValues: Sendable, Hashable, Codable, ExpressibleByDictionaryLiteral {
    public var entries: [String: String]

    public init(_ entries: [String: String] = [:]) {
        self.entries = entries
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.entries = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// Set by the engine when the saga turns back to compensate: why, as in ``SagaRecord/reason``
    /// (which step, and its refusal or the attempts or budget it ran out of), for the
    /// on-compensated step to record.
    public static let compensationReasonKey = "saga.compensation_reason"
    /// Set by the engine when a participant's refusal turned the saga back: the refusal's status
    /// message as the participant wrote it (a payment provider's decline, say); absent when the
    /// saga gave up on attempts or budget.
    public static let refusalKey = "saga.refusal"

    public subscript(key: String) -> String? {
        get { self.entries[key] }
        set { self.entries[key] = newValue }
    }

    /// The value for `key`, or a ``SagaValueMissing`` error naming it (a request builder's
    /// `try values.require("refund_id")`).
    public func require(_ key: String) throws(SagaValueMissing) -> String {
        guard let value = self.entries[key] else { throw SagaValueMissing(key: key) }
        return value
    }

    public init(from decoder: any Decoder) throws {
        self.entries = try decoder.singleValueContainer().decode([String: String].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.entries)
    }
}

/// A request builder needed a value the saga does not hold.
public struct SagaValueMissing: Error, Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var description: String { "the saga has no value \"\(self.key)\"" }
}
