import AftercareAftersalesAPI
import AftercareClient
import AftercareGatewayAPI
import AftercareRPC
import ArgumentParser

struct CaseShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A case: its history, its decision explained, and all its sagas on one timeline.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The case's id.")
    var caseID: String

    func run() async throws {
        let caseID = self.caseID
        let (view, sagas) = try await self.connection.withClient { client in
            let view = try await client.caseView(caseID)
            var sagas: [Aftercare_Gateway_V1_SagaView] = []
            for saga in view.sagas { sagas.append(try await client.saga(saga.sagaID)) }
            return (view, sagas)
        }
        if self.output.json { return try self.output.printJSON(["case": view, "sagas": sagas]) }
        let style = Style.current
        let record = view.record
        say("\(style.bold("case \(record.caseID)"))  \(record.kind)  \(style.bold(record.state))")
        say("  order \(record.orderID)   buyer \(record.buyerID)   seller \(record.sellerID)   amount \(record.amount.formatted)")
        say()
        say(style.bold("  history"))
        var history = Table("#", "AT", "EVENT", "BY", "FROM", "TO", "SAGA")
        for entry in view.history {
            history.add(
                "\(entry.seq)", Formatting.time(entry.atUnixMicros), entry.event, entry.actorID.isEmpty ? entry.actor : "\(entry.actor):\(entry.actorID)",
                entry.fromState.isEmpty ? "-" : entry.fromState, entry.toState, entry.sagaID.isEmpty ? "" : "\(entry.sagaID) \(entry.sagaStep)")
        }
        history.lines(style: style).forEach { say("    " + $0) }
        if view.hasDecision {
            say()
            say(style.bold("  decision \(view.decision.decisionID) (policy \(view.decision.policyVersion))"))
            for line in view.decision.explanation.split(separator: "\n", omittingEmptySubsequences: false) { say("    \(line)") }
        }
        say()
        say(style.bold("  sagas"))
        guard !sagas.isEmpty else { return say("    none") }
        let start = min(view.history.first?.atUnixMicros ?? Int64.max, sagas.map(\.saga.createdAtUnixMicros).min() ?? Int64.max)
        let end = max(view.history.last?.atUnixMicros ?? 0, sagas.map(\.saga.updatedAtUnixMicros).max() ?? 0, start + 1)
        var table = Table("SAGA", "KIND", "STATE", "STARTED", "TOOK", "TIMELINE: case opened to \(Formatting.duration(end - start)) later")
        for saga in sagas.map(\.saga) {
            table.add(
                saga.sagaID, saga.definition, style.outcome(saga.state), Formatting.time(saga.createdAtUnixMicros),
                Formatting.duration(saga.updatedAtUnixMicros - saga.createdAtUnixMicros),
                Self.bar(from: saga.createdAtUnixMicros, to: saga.updatedAtUnixMicros, start: start, end: end))
        }
        table.lines(style: style).forEach { say("    " + $0) }
        say(style.dim("    each in full: aftercare saga show <SAGA>"))
    }

    static func bar(from: Int64, to: Int64, start: Int64, end: Int64) -> String {
        let width = SagaTimeline.barWidth
        let total = Double(end - start)
        func column(_ micros: Int64) -> Int { min(width - 1, max(0, Int(Double(micros - start) / total * Double(width)))) }
        let first = column(from)
        let last = max(first, column(to))
        return "│" + String(repeating: " ", count: first) + String(repeating: "█", count: last - first + 1) + String(repeating: " ", count: width - last - 1) + "│"
    }
}
