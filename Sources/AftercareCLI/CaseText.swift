import AftercareRPC
import AftercareAftersalesAPI
import AftercareGatewayAPI

/// `aftercare case show` as text: the case, its history, its decision explained and its sagas on
/// one timeline, no line wider than the width.
enum CaseText {
    static func lines(_ view: Aftercare_Gateway_V1_CaseView, sagas: [Aftercare_Gateway_V1_SagaView], style: Style, width: Int) -> [String] {
        let record = view.record
        var out: [String] = []
        func text(_ line: String, first: String = "  ", rest: String = "      ") {
            out += TextFit.wrap(line, width: width, first: first, rest: rest)
        }
        text("\(style.bold("case \(record.caseID)"))  \(record.kind)  \(style.bold(record.state))", first: "", rest: "  ")
        let parties = [("order", record.orderID), ("buyer", record.buyerID), ("seller", record.sellerID), ("amount", TextFit.unbroken(record.amount.formatted))]
        text(parties.map { TextFit.pair($0, $1) }.joined(separator: "   "))
        out.append("")
        // Times of one day without their date: the heading says it.
        let days = Set(view.history.map { Formatting.time($0.atUnixMicros).prefix(10) })
        let day = days.count == 1 ? days.first.map { " (\($0), UTC)" } ?? "" : ""
        out.append(style.bold("  history\(day)"))
        var history = Table("#", "AT", .wrap("EVENT"), .elide("BY"), .wrap("STATE"), .elide("SAGA"), .wrap("STEP"))
        for entry in view.history {
            let at = Formatting.time(entry.atUnixMicros)
            history.add(
                "\(entry.seq)", day.isEmpty ? at : String(at.dropFirst(11)), entry.event, entry.actorID.isEmpty ? entry.actor : "\(entry.actor):\(entry.actorID)",
                entry.fromState.isEmpty ? entry.toState : "\(entry.fromState) → \(entry.toState)", entry.sagaID, entry.sagaStep)
        }
        out += history.lines(style: style, width: width - 4).map { "    " + $0 }
        if view.hasDecision {
            out.append("")
            text(style.bold("decision \(view.decision.decisionID) (policy \(view.decision.policyVersion))"))
            for line in view.decision.explanation.split(separator: "\n", omittingEmptySubsequences: false) {
                // A wrapped rule or fact goes on under its own text, past its `[x]` or label.
                let indent = String(repeating: " ", count: 4 + line.prefix { $0 == " " }.count)
                text(String(line.drop { $0 == " " }), first: indent, rest: indent + "    ")
            }
        }
        out.append("")
        out.append(style.bold("  sagas"))
        guard !sagas.isEmpty else { return out + ["    none"] }
        let start = min(view.history.first?.atUnixMicros ?? Int64.max, sagas.map(\.saga.createdAtUnixMicros).min() ?? Int64.max)
        let end = max(view.history.last?.atUnixMicros ?? 0, sagas.map(\.saga.updatedAtUnixMicros).max() ?? 0, start + 1)
        let timeline = Table.Column("TIMELINE", .timeline(title: "case opened to \(Formatting.duration(end - start)) later", start: start, end: end))
        var table = Table(.elide("SAGA"), "KIND", "STATE", "STARTED", "TOOK", timeline)
        for saga in sagas.map(\.saga) {
            table.add(cells: [
                .init(saga.sagaID), .init(saga.definition), .init(saga.state, paint: style.outcome), .init(Formatting.time(saga.createdAtUnixMicros)),
                .init(Formatting.duration(saga.updatedAtUnixMicros - saga.createdAtUnixMicros)), .init(from: saga.createdAtUnixMicros, to: saga.updatedAtUnixMicros),
            ])
        }
        out += table.lines(style: style, width: width - 4).map { "    " + $0 }
        out.append(style.dim("    each in full: aftercare saga show <SAGA>"))
        return out
    }
}
