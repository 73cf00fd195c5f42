import AftercareSagas
import Testing

/// A step on `orders`, with a compensation or without.
private func step(_ name: String, _ role: SagaStep.Role, compensated: Bool) -> SagaStep {
    let action = Definitions.action(name, on: "orders", from: nil)
    return SagaStep(name, role: role, action: action, compensation: compensated ? action : nil)
}

/// Every shape a saga definition may not have is refused, naming its problem.
@Suite("Saga definitions")
struct SagaDefinitionTests {
    static let shapes: [(String, [SagaStep], SagaStep?, SagaDefinitionError.Problem)] = [
        ("compensable without compensation", [step("a", .compensable, compensated: false), step("p", .pivot, compensated: false)], nil,
         .missingCompensation),
        ("pivot with compensation", [step("a", .compensable, compensated: true), step("p", .pivot, compensated: true)], nil,
         .unexpectedCompensation),
        ("forward with compensation", [step("p", .pivot, compensated: false), step("f", .forward, compensated: true)], nil,
         .unexpectedCompensation),
        ("no pivot", [step("a", .compensable, compensated: true), step("f", .forward, compensated: false)], nil, .pivotCount),
        ("two pivots", [step("p", .pivot, compensated: false), step("q", .pivot, compensated: false)], nil, .pivotCount),
        ("compensable after the pivot", [step("p", .pivot, compensated: false), step("a", .compensable, compensated: true)], nil,
         .compensableAfterPivot),
        ("repeated name", [step("a", .compensable, compensated: true), step("a", .pivot, compensated: false)], nil, .duplicateStepName),
        ("on-compensated named like a step", [step("p", .pivot, compensated: false)], step("p", .forward, compensated: false), .duplicateStepName),
        ("empty name", [step("", .pivot, compensated: false)], nil, .emptyStepName),
        ("on-compensated with a compensation", [step("p", .pivot, compensated: false)], step("r", .forward, compensated: true),
         .onCompensatedNotForward),
    ]

    @Test("an invalid definition is refused with its problem", arguments: Self.shapes.indices)
    func invalid(_ index: Int) {
        let (label, steps, onCompensated, problem) = Self.shapes[index]
        do {
            _ = try SagaDefinition(name: "bad", steps: steps, onCompensated: onCompensated)
            Issue.record("\(label): accepted")
        } catch {
            #expect(error.problem == problem, "\(label)")
            #expect(error.description.hasPrefix("saga definition bad: "), "\(label)")
        }
    }

    @Test("a saga whose first step is the pivot, without compensable steps, is fine")
    func pivotOnly() throws {
        let definition = try SagaDefinition(name: "carrier-progress", steps: [step("record", .pivot, compensated: false)])
        #expect(definition.pivotIndex == 0)
        #expect(try Definitions.standard().pivotIndex == 3)
    }

    @Test("back-off doubles from the initial wait, is capped, and jitters within its bounds")
    func backoff() {
        let policy = SagaRetryPolicy(initialBackoff: .milliseconds(100), maximumBackoff: .milliseconds(500), jitter: 0.2)
        #expect(policy.backoff(afterFailures: 0) == .zero)
        #expect(policy.backoff(afterFailures: 1, random: 0) == .milliseconds(100))
        #expect(policy.backoff(afterFailures: 3, random: 0) == .milliseconds(400))
        #expect(policy.backoff(afterFailures: 9, random: 0) == .milliseconds(500))
        #expect(policy.backoff(afterFailures: 2, random: 1) == .milliseconds(240))
        #expect(policy.backoff(afterFailures: 2, random: -1) == .milliseconds(160))
    }
}
