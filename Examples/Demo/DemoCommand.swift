import AftercareClient
import ArgumentParser
import Foundation

/// `aftercare-demo`: the six scenarios of `make run`, through the gateway's public API as a shop
/// front end, a seller back office and support would call it, each followed by
/// `aftercare saga show` of the sagas it ran.
@main
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aftercare-demo",
        abstract: "Six after-sales scenarios through the running gateway, each followed by its saga traces.")

    @Option(help: "The run directory `make run` started the services in (run/, certs/).")
    var runDir: String

    @Option(help: "Where to write what each scenario made (case and saga ids), as JSON.")
    var report: String?

    @Option(help: "The aftercare CLI (default: beside this executable).")
    var aftercare: String?

    @Flag(help: "Print the scenarios' own steps only, not the saga traces.")
    var quiet = false

    func run() async throws {
        let cli = self.aftercare ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("aftercare").path
        let tag = String(Int(Date().timeIntervalSince1970 * 1_000) % 100_000_000)
        let runDir = self.runDir
        let quiet = self.quiet
        let reports = try await Demo.with(runDirectory: runDir, cli: cli, tag: tag) { demo in
            try await demo.waitForHealth()
            if !quiet {
                say("$ aftercare health")
                try demo.runCLI(["health"])
            }
            var reports: [ScenarioReport] = []
            for scenario in Demo.scenarios {
                say("")
                say("━━ \(scenario.number). \(scenario.title)")
                let report = try await scenario.run(demo)
                for saga in report.shown where !quiet {
                    say("")
                    say("$ aftercare saga show \(saga)")
                    try demo.runCLI(["saga", "show", saga])
                }
                reports.append(report)
            }
            return reports
        }
        if let report {
            let data = try JSONEncoder.pretty.encode(DemoReport(scenarios: reports))
            try data.write(to: URL(fileURLWithPath: report))
        }
    }
}

extension JSONEncoder {
    static var pretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }
}

/// Writes a line to standard output.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A scenario that did not go as it should.
struct DemoError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
