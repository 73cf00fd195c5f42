import AftercareClient
import AftercareGatewayAPI
import ArgumentParser
import Foundation

struct SagaWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "A saga's timeline, live, until it ends (completed, compensated, stuck or resolved).")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The saga's id.")
    var sagaID: String

    @Option(help: "How often to read it, in milliseconds.")
    var intervalMs: Int = 500

    @Option(help: "Give up after this many seconds (0: never).")
    var forSeconds: Int = 0

    func run() async throws {
        let sagaID = self.sagaID
        let interval = Duration.milliseconds(max(50, self.intervalMs))
        let deadline = self.forSeconds > 0 ? ContinuousClock.now + .seconds(self.forSeconds) : nil
        let output = self.output
        let style = Style.current
        // On a terminal the timeline is drawn again in place; to a pipe each change is a line.
        let redraw = isatty(STDOUT_FILENO) == 1
        try await self.connection.withClient { client in
            var shown = ""
            var last: Aftercare_Gateway_V1_SagaView?
            while true {
                let (timeline, trace) = try await sagaTimeline(client, sagaID)
                let saga = timeline.view.saga
                // A change: new attempts, results, events, or state.
                let fingerprint = "\(saga.state)|\(saga.updatedAtUnixMicros)|\(timeline.view.attempts.map { "\($0.seq)\($0.result)" })|\(timeline.view.events.count)"
                if fingerprint != shown {
                    shown = fingerprint
                    if output.json {
                        // One compact object per change (JSON lines).
                        let data = try JSONSerialization.data(withJSONObject: try JSON.value(sagaJSON(timeline, trace)), options: [.sortedKeys, .withoutEscapingSlashes])
                        FileHandle.standardOutput.write(data + Data("\n".utf8))
                    } else if redraw {
                        FileHandle.standardOutput.write(Data("\u{1B}[H\u{1B}[2J".utf8))
                        timeline.lines(style: style, width: output.width).forEach { say($0) }
                    } else {
                        SagaChanges.lines(from: last, to: timeline.view).forEach { say($0) }
                    }
                    last = timeline.view
                }
                if saga.state != "running" && saga.state != "compensating" { return }
                if let deadline, ContinuousClock.now >= deadline { throw CLIError("saga \(sagaID) is still \(saga.state) after \(self.forSeconds) s") }
                try await Task.sleep(for: interval)
            }
        }
    }
}
