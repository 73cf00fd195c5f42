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

    /// `Orders/ReserveRefund` for `aftercare.orders.v1.Orders/ReserveRefund`.
    static func shortMethod(_ method: String) -> String {
        guard let slash = method.lastIndex(of: "/") else { return method }
        let service = method[..<slash].split(separator: ".").last.map(String.init) ?? ""
        return "\(service)/\(method[method.index(after: slash)...])"
    }

    static func status(_ span: Aftercare_Common_V1_Span) -> String {
        RPCError.Code(wire: UInt16(clamping: span.statusCode)).description
    }
}
