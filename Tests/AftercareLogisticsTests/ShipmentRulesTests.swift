import AftercareLogistics
import Testing

/// The state rules alone: what each carrier event does in each state, and sequences of events
/// in every arrival order.
@Suite("Shipment rules")
struct ShipmentRulesTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var state: ShipmentState
        var kind: CarrierEventKind
        var effect: ShipmentRules.Effect
        var after: ShipmentState
        var testDescription: String { "\(kind) in \(state) → \(effect.rawValue), \(after)" }
    }

    static let cases: [Case] = [
        // On the line to delivery, forwards.
        Case(state: .labelCreated, kind: .pickedUp, effect: .advanced, after: .pickedUp),
        Case(state: .labelCreated, kind: .inTransit, effect: .advancedPickUpImplied, after: .inTransit),
        Case(state: .labelCreated, kind: .delivered, effect: .advancedPickUpImplied, after: .delivered),
        Case(state: .labelCreated, kind: .lost, effect: .advancedPickUpImplied, after: .lost),
        Case(state: .pickedUp, kind: .inTransit, effect: .advanced, after: .inTransit),
        Case(state: .pickedUp, kind: .delivered, effect: .advanced, after: .delivered),
        Case(state: .pickedUp, kind: .lost, effect: .advanced, after: .lost),
        Case(state: .inTransit, kind: .delivered, effect: .advanced, after: .delivered),
        Case(state: .inTransit, kind: .lost, effect: .advanced, after: .lost),
        // Repeats and older events: history only.
        Case(state: .pickedUp, kind: .pickedUp, effect: .historyOnly, after: .pickedUp),
        Case(state: .inTransit, kind: .inTransit, effect: .historyOnly, after: .inTransit),
        Case(state: .inTransit, kind: .pickedUp, effect: .historyOnly, after: .inTransit),
        Case(state: .delivered, kind: .pickedUp, effect: .historyOnly, after: .delivered),
        Case(state: .delivered, kind: .inTransit, effect: .historyOnly, after: .delivered),
        Case(state: .delivered, kind: .delivered, effect: .historyOnly, after: .delivered),
        // After the end: history only.
        Case(state: .delivered, kind: .lost, effect: .historyOnly, after: .delivered),
        // A parcel reported lost and then delivered was found: delivered wins.
        Case(state: .lost, kind: .delivered, effect: .advanced, after: .delivered),
        Case(state: .lost, kind: .inTransit, effect: .historyOnly, after: .lost),
        Case(state: .lost, kind: .lost, effect: .historyOnly, after: .lost),
        Case(state: .cancelled, kind: .pickedUp, effect: .historyOnly, after: .cancelled),
        Case(state: .cancelled, kind: .delivered, effect: .historyOnly, after: .cancelled),
    ]

    @Test("one carrier event in one state", arguments: cases)
    func single(_ example: Case) {
        let outcome = ShipmentRules.apply(example.kind, to: example.state)
        #expect(outcome.effect == example.effect)
        #expect(outcome.state == example.after)
        // Only a plain move forward goes without a note; a lost parcel's delivery says it was found.
        #expect(outcome.note.isEmpty == (example.effect == .advanced && example.state != .lost))
    }

    @Test("every state × event is covered by the table or moves forward")
    func totality() {
        for state in ShipmentState.allCases {
            for kind in CarrierEventKind.allCases {
                let outcome = ShipmentRules.apply(kind, to: state)
                if state.isFinal && !(state == .lost && kind == .delivered) {
                    #expect(outcome.effect == .historyOnly && outcome.state == state)
                }
                if outcome.effect == .historyOnly { #expect(outcome.state == state) }
            }
        }
    }

    struct Sequence: Sendable, CustomTestStringConvertible {
        var events: [CarrierEventKind]
        var effects: [ShipmentRules.Effect]
        var final: ShipmentState
        var testDescription: String { events.map(\.rawValue).joined(separator: ", ") }
    }

    /// Out-of-order arrivals: the state never goes backwards and ends where the newest fact says.
    static let sequences: [Sequence] = [
        Sequence(events: [.pickedUp, .inTransit, .delivered], effects: [.advanced, .advanced, .advanced], final: .delivered),
        Sequence(events: [.delivered, .pickedUp, .inTransit], effects: [.advancedPickUpImplied, .historyOnly, .historyOnly], final: .delivered),
        Sequence(events: [.inTransit, .pickedUp, .delivered], effects: [.advancedPickUpImplied, .historyOnly, .advanced], final: .delivered),
        Sequence(events: [.pickedUp, .delivered, .inTransit], effects: [.advanced, .advanced, .historyOnly], final: .delivered),
        Sequence(events: [.inTransit, .inTransit, .delivered], effects: [.advancedPickUpImplied, .historyOnly, .advanced], final: .delivered),
        Sequence(events: [.pickedUp, .lost, .inTransit], effects: [.advanced, .advanced, .historyOnly], final: .lost),
        Sequence(
            events: [.pickedUp, .lost, .inTransit, .delivered], effects: [.advanced, .advanced, .historyOnly, .advanced], final: .delivered),
        Sequence(events: [.lost, .delivered], effects: [.advancedPickUpImplied, .advanced], final: .delivered),
        Sequence(events: [.delivered, .lost], effects: [.advancedPickUpImplied, .historyOnly], final: .delivered),
    ]

    @Test("a sequence of carrier events in arrival order", arguments: sequences)
    func sequence(_ example: Sequence) {
        var state = ShipmentState.labelCreated
        var effects: [ShipmentRules.Effect] = []
        for kind in example.events {
            let before = state
            let outcome = ShipmentRules.apply(kind, to: state)
            effects.append(outcome.effect)
            state = outcome.state
            #expect(Self.rank(state) >= Self.rank(before), "went backwards from \(before) to \(state)")
        }
        #expect(effects == example.effects)
        #expect(state == example.final)
    }

    /// Every set of carrier events (each kind once), as an arrival order for each permutation.
    static func permutations(_ kinds: [CarrierEventKind]) -> [[CarrierEventKind]] {
        guard kinds.count > 1 else { return [kinds] }
        return kinds.indices.flatMap { index in
            var rest = kinds
            let first = rest.remove(at: index)
            return Self.permutations(rest).map { [first] + $0 }
        }
    }

    @Test("the state a set of carrier events leaves does not depend on their arrival order")
    func arrivalOrderDoesNotMatter() {
        let all = CarrierEventKind.allCases
        for mask in 1..<(1 << all.count) {
            let kinds = all.indices.filter { mask & (1 << $0) != 0 }.map { all[$0] }
            let finals = Set(Self.permutations(kinds).map { order in
                order.reduce(ShipmentState.labelCreated) { state, kind in ShipmentRules.apply(kind, to: state).state }
            })
            #expect(finals.count == 1, "\(kinds) ends in \(finals) depending on the order")
        }
    }

    @Test("the simulator's next event follows the line and stops at the end")
    func next() {
        #expect(ShipmentRules.next(after: .labelCreated) == .pickedUp)
        #expect(ShipmentRules.next(after: .pickedUp) == .inTransit)
        #expect(ShipmentRules.next(after: .inTransit) == .delivered)
        for state in [ShipmentState.delivered, .cancelled, .lost] { #expect(ShipmentRules.next(after: state) == nil) }
    }

    @Test("cancel only before pick-up (a cancelled shipment answers as it is)", arguments: ShipmentState.allCases)
    func cancel(_ state: ShipmentState) {
        #expect(ShipmentRules.canCancel(state) == (state == .labelCreated || state == .cancelled))
    }

    private static func rank(_ state: ShipmentState) -> Int {
        switch state {
        case .labelCreated: 0
        case .pickedUp: 1
        case .inTransit: 2
        case .delivered, .lost, .cancelled: 3
        }
    }
}
