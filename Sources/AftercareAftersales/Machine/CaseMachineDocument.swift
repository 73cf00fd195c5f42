import AftercareAftersalesAPI

/// The markdown document of the machines, derived from the tables (committed as
/// `proto-spec/CASE-MACHINES.md`; a test keeps the file equal to what the tables produce).
package enum CaseMachineDocument {
    /// The whole document.
    package static func markdown() -> String {
        var lines: [String] = [
            "# Aftercare — case machines (generated)",
            "",
            "Generated from the transition tables in `Sources/AftercareAftersales/Machine/` by",
            "`CaseMachineDocument.markdown()`; do not edit by hand (a test compares this file with the tables).",
            "The design is `docs/machines.md`; this is what the code does.",
            "",
            "Rules every machine follows:",
            "- An event is accepted by the first row of the current state whose guards all hold; otherwise it is refused",
            "  with FAILED_PRECONDITION naming the state (and the guards that failed), and nothing changes.",
            "- A terminal state (marked *) accepts nothing.",
            "- Leaving a state stops the timers that rows entering it start; a self-loop stops nothing.",
            "- Entering a state listed under \"Sagas started on entry\" from another state emits the event that starts the saga.",
            "- A carrier event (`saga Carrier progress: …`) that matches no row of a non-terminal state is recorded only.",
            "",
            "A detail the design leaves to the tables: `NEGOTIATING --buyer.decline | T_offer fired--> PENDING_SELLER` starts",
            "`T_seller` again, so the seller's answer always has a deadline.",
            "",
            "## Timers",
            "",
            "| Timer | Waits for | Default |",
            "|---|---|---|",
        ]
        for timer in CaseTimer.allCases {
            lines.append("| `\(timer.rawValue)` | \(timer.purpose) | \(PolicyDuration(seconds: timer.defaultSeconds)) |")
        }
        lines += ["", "## Guards", "", "| Guard | Holds when |", "|---|---|"]
        for caseGuard in CaseGuard.allCases {
            lines.append("| `\(caseGuard.rawValue)` | \(caseGuard.meaning) |")
        }
        for kind in CaseKind.allCases {
            lines += section(CaseMachine.machine(for: kind))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func section(_ machine: CaseMachine) -> [String] {
        var lines = ["", "## \(machine.kind.title)", ""]
        let states = machine.states.map { machine.terminalStates.contains($0) ? "`\($0.rawValue)`*" : "`\($0.rawValue)`" }
        lines.append("States: " + states.joined(separator: ", ") + ".")
        lines.append("")
        let sagas = machine.sagaOnEntry.sorted { $0.key < $1.key }.map { "`\($0.key.rawValue)` starts \($0.value.rawValue)" }
        lines.append("Sagas started on entry: " + sagas.joined(separator: "; ") + ".")
        lines += ["", "| From | Event | Guards | Effects | To |", "|---|---|---|---|---|"]
        for rule in machine.rules {
            let transition = machine.transition(for: rule)
            let guards = rule.guards.map { "`\($0.rawValue)`" }.joined(separator: ", ")
            let effects = transition.effects.map(\.description).joined(separator: ", ")
            let target = machine.terminalStates.contains(rule.to) ? "`\(rule.to.rawValue)`*" : "`\(rule.to.rawValue)`"
            lines.append("| `\(rule.from.rawValue)` | `\(rule.event.rawValue)` | \(guards) | \(effects) | \(target) |")
        }
        return lines
    }
}
