import AftercareClient
import AftercareGatewayAPI
import AftercareRPC
import ArgumentParser
import SwiftProtobuf

struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trace", abstract: "Every span every service recorded for a trace, in time order.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The trace id: 32 lowercase hex digits.")
    var traceID: String

    func run() async throws {
        let traceID = self.traceID
        let trace = try await self.connection.withClient { try await $0.getTrace(.with { $0.traceID = traceID }) }
        if self.output.json { return try self.output.printJSON(["trace": trace]) }
        let style = Style.current
        let spans = trace.services.flatMap(\.spans).sorted { $0.startUnixMicros < $1.startUnixMicros }
        var table = Table("AT", .elide("SERVICE"), .elide("METHOD"), "STATUS", "TOOK", .wrap("SAGA STEP"), .wrap("CALLER"))
        for span in spans {
            let step = span.saga.sagaID.isEmpty ? "" : "\(span.saga.step) \(span.saga.direction == .compensate ? "undo" : "fwd") #\(span.saga.attempt)"
            table.add(cells: [
                .init(Formatting.time(span.startUnixMicros)), .init(span.service), .init(SagaTimeline.shortMethod(span.method)),
                .init(SagaTimeline.status(span), paint: style.outcome), .init(Formatting.duration(span.durationMicros)), .init(step),
                .init(span.actor.isEmpty ? span.caller : "\(span.caller) for \(span.actor)"),
            ])
        }
        let width = self.output.width
        table.lines(style: style, width: width).forEach { say($0) }
        for service in trace.services where !service.error.isEmpty {
            TextFit.wrap(style.red("\(service.service): \(service.error)"), width: width, rest: "    ").forEach { say($0) }
        }
        say(style.dim("\(spans.count) span\(spans.count == 1 ? "" : "s") from \(trace.services.filter { !$0.spans.isEmpty }.count) service(s)"))
    }
}
