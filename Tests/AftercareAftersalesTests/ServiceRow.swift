@testable import AftercareAftersales
import Testing

/// One row of a machine as the service tests drive it: the path of steps to its `from` state and
/// how its event is sent.
struct ServiceRow: Sendable, CustomTestStringConvertible {
    enum Way: Sendable, Hashable {
        /// The event's own call (an actor's action, a saga's recording).
        case call
        /// `evaluate` of a new application: OpenCase.
        case application
        /// `evaluate` of a review again: the buyer's AddEvidence in AWAITING_EVIDENCE.
        case reviewAgain
        /// A timer firing, made to fire one of two ways.
        case fired(ServiceDriver.Firing)
    }

    let kind: CaseKind
    let rule: CaseTransitionRule
    let way: Way
    let path: [CaseTransitionRule]

    var testDescription: String {
        let guards = self.rule.guards.isEmpty ? "" : " [\(self.rule.guards.map(\.rawValue).joined(separator: ", "))]"
        let how: String =
            switch self.way {
            case .call: ""
            case .application: " (OpenCase)"
            case .reviewAgain: " (AddEvidence, reviewed again)"
            case .fired(let firing): " (\(firing.rawValue))"
            }
        return "\(self.kind.rawValue): \(self.rule.from.rawValue) --\(self.rule.event.rawValue)\(guards)--> \(self.rule.to.rawValue)\(how)"
    }

    /// The review outcome of an `evaluate` row.
    var outcome: ReviewOutcome? { ServicePaths.outcome(of: self.rule.guards) }

    /// The policy the row runs under: the built-in one unless the review must approve what it
    /// never approves.
    var policy: ReviewPolicy {
        guard let outcome else { return .builtIn }
        return ServiceDriver.needsApprovingPolicy(outcome, kind: self.kind, again: self.way == .reviewAgain)
            ? ServiceDriver.approvingPolicy : .builtIn
    }

    var machine: CaseMachine { CaseMachine.machine(for: self.kind) }

    /// The transitions the row's call makes, in order, and which of them is the row.
    var transitions: (all: [CaseTransition], row: Int) {
        let machine = self.machine
        let row = machine.transition(for: self.rule)
        let review = { (outcome: ReviewOutcome) in
            machine.transition(for: machine.rules.first { $0.event == .evaluate && ServicePaths.outcome(of: $0.guards) == outcome }!)
        }
        if self.way == .reviewAgain {
            let addEvidence = machine.rules.first { $0.event == .buyerAddEvidence }!
            return ([machine.transition(for: addEvidence), row], 1)
        }
        if self.rule.effects.contains(.evaluateAgain) { return ([row, review(.sellerReview)], 0) }
        return ([row], 0)
    }

    /// Every row of every machine the driver can send, each way it can be sent.
    static let all: [ServiceRow] = CaseKind.allCases.flatMap { kind in
        CaseMachine.machine(for: kind).rules.flatMap { rule -> [ServiceRow] in
            if rule.event == .evaluate {
                guard let awaiting = ServicePaths.path(to: .awaitingEvidence, kind: kind) else { return [] }
                return [
                    ServiceRow(kind: kind, rule: rule, way: .application, path: []),
                    ServiceRow(kind: kind, rule: rule, way: .reviewAgain, path: awaiting),
                ]
            }
            guard let path = ServicePaths.path(to: rule, kind: kind) else { return [] }
            if case .timer = rule.event.source {
                return ServiceDriver.Firing.allCases.map { ServiceRow(kind: kind, rule: rule, way: .fired($0), path: path) }
            }
            return [ServiceRow(kind: kind, rule: rule, way: .call, path: path)]
        }
    }

    /// The rows no path of the driver's reaches.
    static func undrivable(_ kind: CaseKind) -> [CaseTransitionRule] {
        CaseMachine.machine(for: kind).rules.filter { rule in
            rule.event != .evaluate && ServicePaths.path(to: rule, kind: kind) == nil
        }
    }
}
