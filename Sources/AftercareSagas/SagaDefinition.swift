/// A saga: ordered steps, compensable ones before exactly one pivot and forward-only ones after it,
/// plus the step that records the outcome when the saga was compensated. Checked when built.
public struct SagaDefinition: Sendable {
    /// Unique among the engine's definitions; stored with every saga.
    public let name: String
    /// Stored with every saga, so a log can be read against the definition that wrote it.
    public let version: Int
    public let steps: [SagaStep]
    /// Runs after every compensation has succeeded (forward-only, retried until done); `nil` when
    /// nothing needs recording.
    public let onCompensated: SagaStep?
    /// How long the steps up to and including the pivot may take in all, from the saga's start.
    public let forwardBudget: Duration
    /// How long the compensations and the on-compensated step may take in all, from the moment
    /// compensation begins — independent of what the forward path used.
    public let compensationBudget: Duration

    /// - Throws: ``SagaDefinitionError`` naming the problem: a compensable step without a
    ///   compensation, a pivot or forward step with one, not exactly one pivot, a compensable step
    ///   after the pivot, an empty or repeated step name, an on-compensated step that is not forward-only.
    public init(
        name: String,
        version: Int = 1,
        steps: [SagaStep],
        onCompensated: SagaStep? = nil,
        forwardBudget: Duration = .seconds(60),
        compensationBudget: Duration = .seconds(300)
    ) throws(SagaDefinitionError) {
        guard !name.isEmpty else { throw SagaDefinitionError(.emptyName, definition: name, "the definition has no name") }
        var seen = Set<String>()
        for step in steps + (onCompensated.map { [$0] } ?? []) {
            guard !step.name.isEmpty else { throw SagaDefinitionError(.emptyStepName, definition: name, "a step has an empty name") }
            guard seen.insert(step.name).inserted else {
                throw SagaDefinitionError(.duplicateStepName, definition: name, "step name \"\(step.name)\" is used twice")
            }
        }
        let pivots = steps.filter { $0.role == .pivot }
        guard pivots.count == 1 else {
            throw SagaDefinitionError(
                .pivotCount, definition: name,
                "a saga needs exactly one pivot, found \(pivots.count)\(pivots.isEmpty ? "" : ": " + pivots.map(\.name).joined(separator: ", "))")
        }
        var pastPivot = false
        for step in steps {
            switch step.role {
            case .compensable:
                guard !pastPivot else {
                    throw SagaDefinitionError(.compensableAfterPivot, definition: name, "compensable step \"\(step.name)\" comes after the pivot \"\(pivots[0].name)\"")
                }
                guard step.compensation != nil else {
                    throw SagaDefinitionError(.missingCompensation, definition: name, "compensable step \"\(step.name)\" has no compensation")
                }
            case .pivot, .forward:
                pastPivot = true
                guard step.compensation == nil else {
                    throw SagaDefinitionError(
                        .unexpectedCompensation, definition: name, "\(step.role.rawValue) step \"\(step.name)\" has a compensation; only steps before the pivot may")
                }
            }
        }
        if let onCompensated, onCompensated.role != .forward || onCompensated.compensation != nil {
            throw SagaDefinitionError(
                .onCompensatedNotForward, definition: name, "on-compensated step \"\(onCompensated.name)\" must be a forward step without compensation")
        }
        self.name = name
        self.version = version
        self.steps = steps
        self.pivotIndex = steps.firstIndex { $0.role == .pivot } ?? 0
        self.onCompensated = onCompensated
        self.forwardBudget = forwardBudget
        self.compensationBudget = compensationBudget
    }

    /// The index of the pivot in ``steps``.
    public let pivotIndex: Int

    /// The step named `name`, the on-compensated step included.
    func step(named name: String) -> SagaStep? {
        if let onCompensated, onCompensated.name == name { return onCompensated }
        return self.steps.first { $0.name == name }
    }
}

/// Why a saga definition was refused.
public struct SagaDefinitionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which rule the definition breaks.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var description: String { self.name }

        public static let emptyName = Problem(name: "empty definition name")
        public static let emptyStepName = Problem(name: "empty step name")
        public static let duplicateStepName = Problem(name: "duplicate step name")
        public static let pivotCount = Problem(name: "not exactly one pivot")
        public static let compensableAfterPivot = Problem(name: "compensable step after the pivot")
        public static let missingCompensation = Problem(name: "compensable step without compensation")
        public static let unexpectedCompensation = Problem(name: "compensation on a pivot or forward step")
        public static let onCompensatedNotForward = Problem(name: "on-compensated step not forward-only")
    }

    public var problem: Problem
    /// The definition's name.
    public var definition: String
    public var message: String

    public init(_ problem: Problem, definition: String, _ message: String) {
        self.problem = problem
        self.definition = definition
        self.message = message
    }

    public var description: String { "saga definition \(self.definition): \(self.message)" }
}
