import AftercareGatewayAPI
import AftercareRPC

/// What a saga timeline shows, line by line, before it is laid out for a width: each section's
/// heading, then each attempt with its message and the spans the services recorded for it.
enum SagaTimelineItem {
    /// One attempt or span on the saga's axis, its columns as plain text.
    struct Row {
        /// The attempt (`call 2`) or the span with its service (`span aftercare-orders Orders/ReserveRefund`).
        var label: String
        /// A span's label without its service (`span Orders/ReserveRefund`), for narrow widths.
        var compactLabel: String
        var result = ""
        var status = ""
        var backoff = ""
        var took = ""
        var from: Int64
        var to: Int64
        var waitedFrom: Int64
        var fill: Character
        var isSpan: Bool { self.fill != "█" }
    }

    /// `reserve_refund (compensable) → orders: Orders/ReserveRefund`, painted.
    case section(String)
    /// An attempt and, when it did not succeed, its message.
    case attempt(Row, message: String)
    case span(Row)

    /// The items of `timeline`, in the order they ran.
    static func items(_ timeline: SagaTimeline, style: Style) -> [Self] {
        var items: [Self] = []
        for section in timeline.sections {
            let info = timeline.view.steps.first { $0.name == section.step }
            let arrow = section.direction == "compensate" ? "↩ undo " : ""
            // A step that chooses its call at run time: the service's span says which it made.
            let served = section.attempts.lazy.flatMap(\.spans).first?.method
            let target = served ?? (section.direction == "compensate" ? info?.compensationMethod : info?.method)
            let role = info.map { " (\($0.role))" } ?? ""
            items.append(.section(style.bold("\(arrow)\(section.step)") + style.dim("\(role) → \(info?.participant ?? "?"): \(SagaTimeline.shortMethod(target ?? ""))")))
            for (attempt, spans) in section.attempts {
                let ended = attempt.endedAtUnixMicros > 0 ? attempt.endedAtUnixMicros : timeline.end
                let status = attempt.statusCode == 0 && attempt.result != "sent" ? (attempt.kind == "call" ? "OK" : "") : RPCError.Code(wire: UInt16(clamping: attempt.statusCode)).description
                let row = Row(
                    label: "\(attempt.kind) \(attempt.attempt)", compactLabel: "\(attempt.kind) \(attempt.attempt)", result: attempt.result,
                    status: attempt.result == "sent" ? "" : status, backoff: attempt.backoffMicros > 0 ? Formatting.duration(attempt.backoffMicros) : "-",
                    took: attempt.endedAtUnixMicros > 0 ? Formatting.duration(attempt.endedAtUnixMicros - attempt.startedAtUnixMicros) : "in flight",
                    from: attempt.startedAtUnixMicros, to: ended, waitedFrom: attempt.startedAtUnixMicros - attempt.backoffMicros, fill: "█")
                items.append(.attempt(row, message: attempt.result == "ok" ? "" : attempt.message))
                for span in spans {
                    let method = SagaTimeline.shortMethod(span.method)
                    items.append(
                        .span(
                            Row(
                                label: "span \(span.service) \(method)", compactLabel: "span \(method)", status: SagaTimeline.status(span),
                                took: Formatting.duration(span.durationMicros), from: span.startUnixMicros, to: span.startUnixMicros + span.durationMicros,
                                waitedFrom: span.startUnixMicros, fill: "▒")))
                }
            }
        }
        return items
    }
}
