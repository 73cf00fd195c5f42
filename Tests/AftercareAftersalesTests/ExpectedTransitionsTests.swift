import AftercareRPC
import Testing

@testable import AftercareAftersales

/// The hand-written tables of ExpectedTransitions.swift against the code's tables: the same legal
/// transitions, and the refusals they expect.
@Suite struct ExpectedTransitionsTests {
    struct Row: Hashable, CustomStringConvertible {
        let from: CaseState
        let event: CaseEvent
        let guards: Set<CaseGuard>
        let to: CaseState
        var description: String { "\(from.rawValue) --\(event.rawValue) \(guards.map(\.rawValue).sorted())--> \(to.rawValue)" }
    }

    static func expected(_ kind: CaseKind) -> String {
        switch kind {
        case .refundOnly: ExpectedTransitions.refundOnly
        case .returnAndRefund: ExpectedTransitions.returnAndRefund
        case .exchange: ExpectedTransitions.exchange
        }
    }

    static func fields(_ line: Substring) -> [String] {
        line.split(separator: "|").map { String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
    }

    static func guards(_ text: String) -> [CaseGuard] {
        text == "-" ? [] : text.split(separator: " ").map { CaseGuard(rawValue: String($0))! }
    }

    static func rows(_ text: String) -> [Row] {
        text.split(separator: "\n").map { line in
            let parts = fields(line)
            precondition(parts.count == 4, "bad line: \(line)")
            return Row(
                from: CaseState(rawValue: parts[0])!, event: CaseEvent(rawValue: parts[1])!,
                guards: Set(guards(parts[2])), to: CaseState(rawValue: parts[3])!)
        }
    }

    @Test(arguments: CaseKind.allCases)
    func theCodesTableHasExactlyTheHandWrittenTransitions(kind: CaseKind) {
        let expected = Self.rows(Self.expected(kind))
        let actual = CaseMachine.machine(for: kind).rules.map {
            Row(from: $0.from, event: $0.event, guards: Set($0.guards), to: $0.to)
        }
        #expect(Set(expected).count == expected.count, "the hand-written table repeats a row")
        let missing = Set(expected).subtracting(actual)
        let extra = Set(actual).subtracting(expected)
        #expect(missing.isEmpty, "the code lacks: \(missing.map(\.description).sorted())")
        #expect(extra.isEmpty, "the code adds: \(extra.map(\.description).sorted())")
    }

    @Test(arguments: CaseKind.allCases)
    func everyHandWrittenTransitionIsAccepted(kind: CaseKind) throws {
        let machine = CaseMachine.machine(for: kind)
        for row in Self.rows(Self.expected(kind)) {
            let transition = try machine.apply(row.event, in: row.from, facts: .satisfying(Array(row.guards)))
            #expect(transition.to == row.to, "\(row)")
        }
    }

    static let illegal: [(CaseKind, CaseState, CaseEvent)] = ExpectedTransitions.illegal.split(separator: "\n").map {
        let parts = fields($0)
        return (CaseKind(rawValue: parts[0])!, CaseState(rawValue: parts[1])!, CaseEvent(rawValue: parts[2])!)
    }

    @Test(arguments: illegal)
    func illegalEventsAreRefusedNamingTheState(kind: CaseKind, state: CaseState, event: CaseEvent) {
        let machine = CaseMachine.machine(for: kind)
        for facts in [CaseFacts(), CaseFacts.permissive] {
            do {
                let transition = try machine.apply(event, in: state, facts: facts)
                Issue.record("\(kind) \(state) accepted \(event.rawValue) → \(transition.to)")
            } catch {
                #expect(error.state == state)
                #expect(error.rpcError.code == .failedPrecondition)
                #expect(error.rpcError.message.contains("case is \(state.rawValue)"))
                #expect(error.rpcError.message.contains(event.rawValue))
            }
        }
    }

    static let guardedOut: [(CaseKind, CaseState, CaseEvent, [CaseGuard], CaseGuard)] =
        ExpectedTransitions.guardedOut.split(separator: "\n").map {
            let parts = fields($0)
            return (
                CaseKind(rawValue: parts[0])!, CaseState(rawValue: parts[1])!, CaseEvent(rawValue: parts[2])!,
                guards(parts[3]), CaseGuard(rawValue: parts[4])!
            )
        }

    @Test(arguments: guardedOut)
    func aFailingGuardIsRefusedNamingIt(
        kind: CaseKind, state: CaseState, event: CaseEvent, holding: [CaseGuard], failing: CaseGuard
    ) {
        let facts = CaseFacts.satisfying(holding).violating(failing)
        #expect(!failing.holds(facts))
        #expect {
            try CaseMachine.machine(for: kind).apply(event, in: state, facts: facts)
        } throws: { error in
            guard let refusal = error as? CaseRefusal else { return false }
            return refusal.failedGuards.contains(failing) && refusal.description.contains(failing.rawValue)
                && refusal.description.contains("case is \(state.rawValue)")
        }
    }
}
