import Synchronization

/// Applies a ``FaultPlan`` to every connection of a ``FaultyClientTransport``: counts the calls
/// each fault matches, decides, and keeps a log of what it did.
package final class FaultInjector: Sendable {
    private struct State {
        var plan: FaultPlan
        /// Calls each fault has matched so far, by its index in the plan.
        var matched: [Int: Int] = [:]
        /// Calls each hold's `until` pattern has matched so far, by the hold's index in the plan.
        var untilMatched: [Int: Int] = [:]
        var connections = 0
        var events: [FaultEvent] = []
    }

    private let state: Mutex<State>

    /// An injector applying `plan` (none by default; see ``set(_:)``).
    package init(_ plan: FaultPlan = FaultPlan()) {
        self.state = Mutex(State(plan: plan))
    }

    /// Replaces the plan; counting starts again.
    package func set(_ plan: FaultPlan) {
        self.state.withLock { state in
            state.plan = plan
            state.matched = [:]
            state.untilMatched = [:]
        }
    }

    /// What the injector has done so far, in order.
    package var events: [FaultEvent] { self.state.withLock { $0.events } }

    /// The faults that apply to a call of `method` now starting.
    func faults(forCall method: String) -> [Fault.Kind] {
        self.state.withLock { state in
            var kinds: [Fault.Kind] = []
            for (index, fault) in state.plan.faults.enumerated() {
                guard let pattern = fault.method, pattern.matches(method) else { continue }
                let count = state.matched[index, default: 0] + 1
                state.matched[index] = count
                guard fault.ordinal == nil || fault.ordinal == count else { continue }
                kinds.append(fault.kind)
                state.events.append(FaultEvent(fault: fault, method: method, ordinal: count))
            }
            return kinds
        }
    }

    /// The holds a call of `method` that has just left releases: those whose `until` call it is.
    func holdsReleased(byCall method: String) -> [Fault] {
        self.state.withLock { state in
            var released: [Fault] = []
            for (index, fault) in state.plan.faults.enumerated() {
                guard case .holdRequest(let until, let call) = fault.kind, until.matches(method) else { continue }
                let count = state.untilMatched[index, default: 0] + 1
                state.untilMatched[index] = count
                if count == call { released.append(fault) }
            }
            return released
        }
    }

    /// The byte budget of a connection now opening, if a fault cuts it.
    func byteBudget() -> (bytes: Int, fault: Fault, ordinal: Int)? {
        self.state.withLock { state in
            state.connections += 1
            for fault in state.plan.faults {
                guard case .cutConnection(let bytes) = fault.kind, fault.ordinal == nil || fault.ordinal == state.connections else { continue }
                return (bytes, fault, state.connections)
            }
            return nil
        }
    }

    /// Logs a connection fault when it fires.
    func record(_ fault: Fault, ordinal: Int) {
        self.state.withLock { $0.events.append(FaultEvent(fault: fault, method: nil, ordinal: ordinal)) }
    }
}
