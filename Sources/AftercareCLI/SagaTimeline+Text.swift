import AftercareGatewayAPI
import AftercareRPC

/// A saga timeline as text for a terminal.
extension SagaTimeline {
    /// The saga's heading, its attempts laid out for `width` (`SagaTimelineLayout`), the steps
    /// that never ran, the trace's other spans and the saga's history; no line wider than `width`.
    func lines(style: Style, width: Int) -> [String] {
        let saga = self.view.saga
        var out: [String] = []
        func text(_ line: String, first: String = "  ", rest: String = "      ") {
            out += TextFit.wrap(line, width: width, first: first, rest: rest)
        }
        let at = "(\(TextFit.pair("phase", saga.phase)), \(TextFit.pair("at", saga.step.isEmpty ? "-" : saga.step)))"
        text("\(style.bold("\(saga.definition) saga \(saga.sagaID)"))  \(style.outcome(saga.state))  \(at)", first: "", rest: "  ")
        text("\(TextFit.pair("case", saga.caseID.isEmpty ? "-" : saga.caseID))   \(TextFit.pair("trace", saga.traceID))")
        let started = TextFit.unbroken("started \(Formatting.time(saga.createdAtUnixMicros))")
        let changed = TextFit.unbroken("last change \(Formatting.time(saga.updatedAtUnixMicros))")
        text("\(started)   \(changed)   \(TextFit.unbroken("spans \(Formatting.duration(self.end - self.start))"))")
        if !saga.reason.isEmpty { text("why: \(saga.reason)") }
        out.append("")
        out += SagaTimelineLayout(items: SagaTimelineItem.items(self, style: style), start: self.start, end: self.end, style: style, width: width).lines()
        if !self.notRun.isEmpty {
            out.append("")
            text("not run: " + self.notRun.map { "\($0.name) (\($0.role))" }.joined(separator: ", "))
        }
        if !self.otherSpans.isEmpty {
            out.append("")
            text("other spans of the trace:")
            for span in self.otherSpans {
                text(
                    "\(TextFit.unbroken(Formatting.time(span.startUnixMicros)))  \(span.service)  \(Self.shortMethod(span.method))  \(Self.status(span))  "
                        + TextFit.unbroken(Formatting.duration(span.durationMicros)),
                    first: "    ", rest: "      ")
            }
        }
        out.append("")
        text("history:")
        for event in self.view.events {
            text("\(TextFit.unbroken(Formatting.time(event.atUnixMicros)))  \(style.outcome(event.kind))\(event.reason.isEmpty ? "" : ": \(event.reason)")", first: "    ", rest: "      ")
        }
        return out
    }
}
