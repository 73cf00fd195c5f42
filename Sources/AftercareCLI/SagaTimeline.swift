import AftercareClient
import AftercareGatewayAPI
import AftercareRPC
import ArgumentParser

/// One saga as a timeline: its attempts grouped by step and direction in the order they ran, each
/// with the spans the services recorded for it, on a time axis shared by the whole saga.
struct SagaTimeline {
    /// The calls of one step in one direction, consecutive in the saga's log.
    struct Section {
        var step: String
        var direction: String
        var attempts: [(attempt: Aftercare_Gateway_V1_SagaAttempt, spans: [Aftercare_Common_V1_Span])]
    }

    let view: Aftercare_Gateway_V1_SagaView
    let sections: [Section]
    /// Spans of the saga's trace no attempt claims (outcome queries, the call that started it).
    let otherSpans: [Aftercare_Common_V1_Span]
    /// Steps of the definition that never ran.
    let notRun: [Aftercare_Gateway_V1_SagaStepInfo]
    let start: Int64
    let end: Int64

    init(_ view: Aftercare_Gateway_V1_SagaView, trace: Aftercare_Gateway_V1_GetTraceResponse?, now: Int64) {
        self.view = view
        let spans = (trace?.services ?? []).flatMap(\.spans).sorted { $0.startUnixMicros < $1.startUnixMicros }
        var claimed = Set<String>()
        var sections: [Section] = []
        for attempt in view.attempts {
            let mine = spans.filter { span in
                attempt.kind == "call" && span.saga.sagaID == view.saga.sagaID && span.saga.step == attempt.step
                    && span.saga.attempt == attempt.attempt && (span.saga.direction == .compensate) == (attempt.direction == "compensate")
            }
            for span in mine { claimed.insert(span.service + span.spanID) }
            if let last = sections.last, last.step == attempt.step, last.direction == attempt.direction {
                sections[sections.count - 1].attempts.append((attempt, mine))
            } else {
                sections.append(Section(step: attempt.step, direction: attempt.direction, attempts: [(attempt, mine)]))
            }
        }
        self.sections = sections
        self.otherSpans = spans.filter { !claimed.contains($0.service + $0.spanID) }
        let ran = Set(view.attempts.map(\.step))
        self.notRun = view.steps.filter { !ran.contains($0.name) }
        self.start = view.saga.createdAtUnixMicros
        let active = view.saga.state == "running" || view.saga.state == "compensating"
        let ends = view.attempts.map { $0.endedAtUnixMicros > 0 ? $0.endedAtUnixMicros : now } + view.events.map(\.atUnixMicros)
        self.end = max(ends.max() ?? self.start, active ? now : view.saga.updatedAtUnixMicros, self.start + 1)
    }

    /// The sections, each attempt with its spans, as JSON for `--json`.
    func sectionsJSON() -> [[String: Any]] {
        self.sections.map { section in
            [
                "step": section.step, "direction": section.direction,
                "attempts": section.attempts.map { ["attempt": $0.attempt, "spans": $0.spans] as [String: Any] },
            ]
        }
    }

    // MARK: Text

    static let barWidth = 40

    func lines(style: Style) -> [String] {
        let saga = self.view.saga
        var out: [String] = []
        out.append("\(style.bold("\(saga.definition) saga \(saga.sagaID)"))  \(style.outcome(saga.state))  (phase \(saga.phase), at \(saga.step.isEmpty ? "-" : saga.step))")
        out.append("  case \(saga.caseID.isEmpty ? "-" : saga.caseID)   trace \(saga.traceID)")
        out.append("  started \(Formatting.time(saga.createdAtUnixMicros))   last change \(Formatting.time(saga.updatedAtUnixMicros))   spans \(Formatting.duration(self.end - self.start))")
        if !saga.reason.isEmpty { out.append("  why: \(saga.reason)") }
        out.append("")
        var table = Table("STEP / ATTEMPT", "RESULT", "STATUS", "BACK-OFF", "TOOK", "TIMELINE: 0 to \(Formatting.duration(self.end - self.start))")
        for section in self.sections {
            let info = self.view.steps.first { $0.name == section.step }
            let arrow = section.direction == "compensate" ? "↩ undo " : ""
            // A step that chooses its call at run time: the service's span says which it made.
            let served = section.attempts.lazy.flatMap(\.spans).first?.method
            let target = served ?? (section.direction == "compensate" ? info?.compensationMethod : info?.method)
            let role = info.map { " (\($0.role))" } ?? ""
            table.rows.append([style.bold("\(arrow)\(section.step)") + style.dim("\(role) → \(info?.participant ?? "?"): \(Self.shortMethod(target ?? ""))"), "", "", "", "", ""])
            for (attempt, spans) in section.attempts {
                let took = attempt.endedAtUnixMicros > 0 ? Formatting.duration(attempt.endedAtUnixMicros - attempt.startedAtUnixMicros) : "in flight"
                let status = attempt.statusCode == 0 && attempt.result != "sent" ? (attempt.kind == "call" ? "OK" : "") : RPCError.Code(wire: UInt16(clamping: attempt.statusCode)).description
                table.rows.append([
                    "  \(attempt.kind) \(attempt.attempt)", style.outcome(attempt.result), attempt.result == "sent" ? "" : status,
                    attempt.backoffMicros > 0 ? Formatting.duration(attempt.backoffMicros) : "-", took, self.bar(attempt, style: style),
                ])
                if !attempt.message.isEmpty && attempt.result != "ok" {
                    table.rows.append([style.dim("    \(Self.clipped(attempt.message))"), "", "", "", "", ""])
                }
                for span in spans {
                    table.rows.append([style.cyan("    span \(span.service) \(Self.shortMethod(span.method))"), "", Self.status(span), "", Formatting.duration(span.durationMicros), self.spanBar(span)])
                }
            }
        }
        out += table.lines(style: style).map { "  " + $0 }
        if !self.notRun.isEmpty {
            out.append("")
            out.append("  not run: " + self.notRun.map { "\($0.name) (\($0.role))" }.joined(separator: ", "))
        }
        if !self.otherSpans.isEmpty {
            out.append("")
            out.append("  other spans of the trace:")
            for span in self.otherSpans {
                out.append("    \(Formatting.time(span.startUnixMicros))  \(span.service)  \(Self.shortMethod(span.method))  \(Self.status(span))  \(Formatting.duration(span.durationMicros))")
            }
        }
        out.append("")
        out.append("  history:")
        for event in self.view.events {
            out.append("    \(Formatting.time(event.atUnixMicros))  \(style.outcome(event.kind))\(event.reason.isEmpty ? "" : ": \(event.reason)")")
        }
        return out
    }

    /// `text` cut to 60 characters (the whole message is in `--json`).
    static func clipped(_ text: String) -> String {
        text.count <= 60 ? text : text.prefix(59) + "…"
    }

    /// `Orders/ReserveRefund` for `aftercare.orders.v1.Orders/ReserveRefund`.
    static func shortMethod(_ method: String) -> String {
        guard let slash = method.lastIndex(of: "/") else { return method }
        let service = method[..<slash].split(separator: ".").last.map(String.init) ?? ""
        return "\(service)/\(method[method.index(after: slash)...])"
    }

    static func status(_ span: Aftercare_Common_V1_Span) -> String {
        RPCError.Code(wire: UInt16(clamping: span.statusCode)).description
    }

    /// The attempt on the shared axis: its back-off as dots, the call as a solid bar.
    private func bar(_ attempt: Aftercare_Gateway_V1_SagaAttempt, style: Style) -> String {
        let ended = attempt.endedAtUnixMicros > 0 ? attempt.endedAtUnixMicros : self.end
        return self.bar(from: attempt.startedAtUnixMicros, to: ended, waitedFrom: attempt.startedAtUnixMicros - attempt.backoffMicros, style: style)
    }

    private func spanBar(_ span: Aftercare_Common_V1_Span) -> String {
        self.bar(from: span.startUnixMicros, to: span.startUnixMicros + span.durationMicros, waitedFrom: span.startUnixMicros, style: Style(colour: false), fill: "▒")
    }

    private func bar(from: Int64, to: Int64, waitedFrom: Int64, style: Style, fill: Character = "█") -> String {
        let total = Double(self.end - self.start)
        func column(_ micros: Int64) -> Int {
            min(Self.barWidth - 1, max(0, Int((Double(micros - self.start) / total * Double(Self.barWidth)).rounded(.down))))
        }
        let first = column(from)
        let last = max(first, column(to))
        let waited = column(max(self.start, waitedFrom))
        var cells = Array(repeating: Character(" "), count: Self.barWidth)
        for index in waited..<first { cells[index] = "·" }
        for index in first...last { cells[index] = fill }
        return "│" + String(cells) + "│"
    }
}
