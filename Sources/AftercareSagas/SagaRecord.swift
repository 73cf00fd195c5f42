public import AftercareWire

/// Where a saga is.
public enum SagaState: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Going forward.
    case running
    /// Undoing its completed steps (then running the on-compensated step).
    case compensating
    /// Stopped for an operator: see ``SagaRecord/reason``; ``SagaEngine/retry(_:reason:)`` resumes it
    /// where it stopped, ``SagaEngine/resolve(_:reason:)`` closes it by hand.
    case stuck
    /// Every step done.
    case completed
    /// Compensated, and the on-compensated step done.
    case compensated
    /// Closed by an operator.
    case resolved

    /// Whether the engine still has work to do on it (stuck ones wait for an operator).
    public var isActive: Bool { self == .running || self == .compensating }

    public var description: String { self.rawValue }
}

/// Which list of calls a saga is walking.
public enum SagaPhase: String, Sendable, Hashable {
    /// The definition's steps, forward.
    case forward
    /// The compensations, in the order of ``SagaRecord/compensations``.
    case compensate
    /// The on-compensated step.
    case onCompensated = "on_compensated"
    /// Nothing left.
    case finished
}

/// A saga as its log holds it.
public struct SagaRecord: Sendable, Hashable {
    public var id: String
    public var definition: String
    public var version: Int
    public var state: SagaState
    public var phase: SagaPhase
    /// The index in the current phase's list of the next call.
    public var position: Int
    /// Attempts (calls and failed queries) at the current position since it began or since the last
    /// operator retry.
    public var tries: Int
    /// The last call's outcome is unknown: the participant is asked (`QueryStep`) before anything else.
    public var awaitingQuery: Bool
    public var values: SagaValues
    public var traceID: TraceID
    /// The span the saga's span is a child of: the call that wrote the event which started it (the
    /// event's `span_id`); `nil` when it named none — the saga's span then has a parent of its own
    /// making, in its trace.
    public var parentSpanID: UInt64? = nil
    /// Steps whose forward call succeeded, in order.
    public var completed: [String]
    /// Steps to compensate, in the order they are compensated.
    public var compensations: [String]
    /// Why the saga is compensating, stuck or resolved; empty otherwise.
    public var reason: String
    public var forwardStartedMicros: Int64
    public var compensationStartedMicros: Int64?
    public var createdMicros: Int64
    public var updatedMicros: Int64
}

/// One call attempt, or one outcome query, of a saga, as the log holds it.
public struct SagaAttempt: Sendable, Hashable {
    /// What became of it.
    public enum Result: String, Sendable, Hashable {
        /// Written before the call; still so if the engine stopped before the answer.
        case sent
        case ok
        /// A business refusal (see ``SagaEngine``'s refusal list).
        case refused
        /// Failed, and the participant said it did not run it: retried.
        case notExecuted = "not_executed"
        /// Failed with an unknown outcome (or interrupted): the participant is asked next.
        case unknown
        /// Answered, but not settled (``SagaStepPending``: a refund pending with its provider): sent
        /// again after a back-off.
        case pending
        /// The request could not be built from the saga's values; nothing was sent.
        case invalid
        /// `QueryStep` answers: the step is done, refused, had nothing to undo, is pending, or never arrived.
        case queriedDone = "queried_done"
        case queriedRefused = "queried_refused"
        case queriedNothingToUndo = "queried_nothing_to_undo"
        case queriedPending = "queried_pending"
        case queriedAbsent = "queried_absent"
        /// `QueryStep` itself failed: asked again after a back-off.
        case queryFailed = "query_failed"

        /// The results after which the engine backs off and tries the step again.
        public static let waitsForRetry: [Result] = [.notExecuted, .pending, .queriedPending, .queriedAbsent, .queryFailed]
    }

    /// Whether it is a call or an outcome query.
    public enum Kind: String, Sendable, Hashable {
        case call
        case query
    }

    public var sagaID: String
    /// 1, 2, … over the whole saga.
    public var seq: Int
    public var step: String
    public var direction: SagaDirection
    public var kind: Kind
    /// The call's attempt number for its step and direction (a query carries the attempt it settles).
    public var attempt: Int
    public var startedMicros: Int64
    public var endedMicros: Int64?
    public var result: Result
    public var statusCode: Int
    public var message: String
    /// The back-off waited before it.
    public var backoffMicros: Int64
    /// The timeout the call was given.
    public var timeoutMicros: Int64
}

/// An entry of a saga's history besides its calls: start, state changes, operator actions.
public struct SagaEvent: Sendable, Hashable {
    public var sagaID: String
    public var seq: Int
    public var atMicros: Int64
    /// `started`, `compensating`, `stuck`, `completed`, `compensated`, `retried`, `resolved`.
    public var kind: String
    public var reason: String
}
