import AftercareClient
import AftercareGatewayAPI
import ArgumentParser

struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile", abstract: "Compares what every service believes; lists each disagreement and exits 1 when there is one.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let report = try await self.connection.withClient { try await $0.reconcile(.init()) }
        if self.output.json {
            try self.output.printJSON(["report": report])
        } else {
            let style = Style.current
            let width = self.output.width
            func text(_ line: String, first: String = "", rest: String = "    ") { TextFit.wrap(line, width: width, first: first, rest: rest).forEach { say($0) } }
            text("checked \(report.casesChecked) cases, \(report.sagasChecked) sagas, \(report.refundsChecked) refunds, \(report.reservationsChecked) reservations, \(report.shipmentsChecked) shipments")
            if report.disagreements.isEmpty { say(style.green("no disagreements")) }
            for disagreement in report.disagreements {
                text("\(style.red(disagreement.kind)): \(disagreement.description_p)")
                text(style.dim(disagreement.records.map { "\($0.service) \($0.kind) \($0.id)" }.joined(separator: ", ")), first: "  ", rest: "    ")
            }
        }
        if !report.disagreements.isEmpty { throw ExitCode(1) }
    }
}
