/// One step of a saga definition.
public struct SagaStep: Sendable {
    /// Where a step stands relative to the saga's pivot.
    public enum Role: String, Sendable, Hashable {
        /// Before the pivot: has a compensation, runs at most ``SagaRetryPolicy/maxAttempts`` times
        /// before the saga gives up and compensates.
        case compensable
        /// The point of no return: a refusal here still compensates the steps before it; past it the
        /// saga only goes forward.
        case pivot
        /// After the pivot: retried until it succeeds (stuck past the threshold), never compensated.
        case forward
    }

    /// Unique in its definition; part of every call's saga context and idempotency key.
    public let name: String
    public let role: Role
    public let action: SagaAction
    /// Required for compensable steps, forbidden for the others.
    public let compensation: SagaAction?
    public let retry: SagaRetryPolicy

    public init(_ name: String, role: Role, action: SagaAction, compensation: SagaAction? = nil, retry: SagaRetryPolicy = .defaults) {
        self.name = name
        self.role = role
        self.action = action
        self.compensation = compensation
        self.retry = retry
    }

    /// A step before the pivot, undone by `compensation`.
    public static func compensable(_ name: String, _ action: SagaAction, compensation: SagaAction, retry: SagaRetryPolicy = .defaults) -> SagaStep {
        SagaStep(name, role: .compensable, action: action, compensation: compensation, retry: retry)
    }

    /// The pivot.
    public static func pivot(_ name: String, _ action: SagaAction, retry: SagaRetryPolicy = .defaults) -> SagaStep {
        SagaStep(name, role: .pivot, action: action, retry: retry)
    }

    /// A step after the pivot (or the definition's on-compensated step).
    public static func forward(_ name: String, _ action: SagaAction, retry: SagaRetryPolicy = .defaults) -> SagaStep {
        SagaStep(name, role: .forward, action: action, retry: retry)
    }
}
