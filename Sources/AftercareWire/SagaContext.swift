/// Which way a saga step goes (WIRE.md §5.2, CALL field 0x8004).
public enum SagaDirection: UInt8, Sendable, Hashable, CustomStringConvertible {
    case forward = 0
    case compensate = 1

    public var description: String {
        switch self {
        case .forward: "forward"
        case .compensate: "compensate"
        }
    }
}

/// The saga a call belongs to: every hop can dedupe, authorize and trace by it (WIRE.md §5.2).
public struct SagaContext: Sendable, Hashable, CustomStringConvertible {
    public var sagaID: String
    public var step: String
    public var direction: SagaDirection
    /// 1 for the first attempt.
    public var attempt: UInt16

    public init(sagaID: String, step: String, direction: SagaDirection = .forward, attempt: UInt16 = 1) {
        self.sagaID = sagaID
        self.step = step
        self.direction = direction
        self.attempt = attempt
    }

    /// The idempotency key a call with this context has when it carries none:
    /// `<saga id>/<step>/<forward|compensate>`.
    public var defaultIdempotencyKey: String { "\(self.sagaID)/\(self.step)/\(self.direction)" }

    /// `<saga id>/<step>/<direction>/<attempt>`.
    public var description: String { "\(self.defaultIdempotencyKey)/\(self.attempt)" }
}
