import AftercareClient
import AftercareGatewayAPI
import ArgumentParser
import Foundation
import SwiftProtobuf

/// `aftercare saga …`.
struct SagaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "saga", abstract: "List, show, watch, retry and resolve sagas.",
        subcommands: [SagaList.self, SagaShow.self, SagaWatch.self, SagaRetry.self, SagaResolve.self])
}

/// Reads a saga in full and the spans of its trace.
func sagaTimeline(_ client: AftercareClient, _ sagaID: String) async throws -> (SagaTimeline, Aftercare_Gateway_V1_GetTraceResponse) {
    let view = try await client.saga(sagaID)
    let trace = try await client.getTrace(.with { $0.traceID = view.saga.traceID })
    return (SagaTimeline(view, trace: trace, now: Formatting.nowMicros), trace)
}

/// What `saga show --json` prints: the saga, its trace, and its attempts grouped with their spans.
func sagaJSON(_ timeline: SagaTimeline, _ trace: Aftercare_Gateway_V1_GetTraceResponse) -> [String: Any] {
    ["saga": timeline.view, "trace": trace, "timeline": timeline.sectionsJSON(), "other_spans": timeline.otherSpans]
}

struct SagaList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Sagas, newest first.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "running, waiting (backing off before a retry), compensating, stuck, completed, compensated or resolved.")
    var state: String?

    @Option(help: "The definition: refund, return-setup, return-cancellation, carrier-progress, return-to-buyer, exchange-fulfilment, order-cancellation.")
    var kind: String?

    @Option(help: "Only one case's sagas.")
    var caseID: String?

    @Option(help: "Only sagas at most this old: 90s, 15m, 2h, 7d.")
    var newerThan: String?

    @Option(help: "Only sagas at least this old.")
    var olderThan: String?

    @Option(help: "At most this many.")
    var limit: Int = 50

    func run() async throws {
        let now = Formatting.nowMicros
        var request = Aftercare_Gateway_V1_ListSagasRequest()
        request.state = self.state ?? ""
        request.definition = self.kind.map(Self.definition) ?? ""
        request.caseID = self.caseID ?? ""
        if let newerThan {
            guard let age = Formatting.parseAge(newerThan) else { throw ValidationError("--newer-than: expected an age like 15m, got \(newerThan)") }
            request.createdAfterUnixMicros = now - age
        }
        if let olderThan {
            guard let age = Formatting.parseAge(olderThan) else { throw ValidationError("--older-than: expected an age like 15m, got \(olderThan)") }
            request.createdBeforeUnixMicros = now - age
        }
        guard self.limit > 0 else { throw ValidationError("--limit: must be positive") }
        let limit = self.limit
        let first = request
        let sagas = try await self.connection.withClient { client in
            var sagas: [Aftercare_Gateway_V1_SagaSummary] = []
            var page = first
            repeat {
                page.pageSize = UInt32(min(500, limit - sagas.count))
                let response = try await client.listSagas(page)
                sagas += response.sagas
                page.pageToken = response.nextPageToken
            } while !page.pageToken.isEmpty && sagas.count < limit
            return sagas
        }
        if self.output.json { return try self.output.printJSON(["sagas": sagas]) }
        Self.lines(sagas, now: now, style: .current, width: self.output.width).forEach { say($0) }
    }

    /// The sagas as a table for `width` columns, each one's reason under it, then how many there are.
    static func lines(_ sagas: [Aftercare_Gateway_V1_SagaSummary], now: Int64, style: Style, width: Int) -> [String] {
        var table = Table(.elide("SAGA"), "KIND", "STATE", .wrap("AT STEP"), .elide("CASE"), "AGE", .below("WHY"))
        for saga in sagas {
            table.add(cells: [
                .init(saga.sagaID), .init(saga.definition), .init(saga.state, paint: style.outcome), .init(saga.step), .init(saga.caseID),
                .init(Formatting.age(saga.createdAtUnixMicros, now: now)), .init(saga.reason),
            ])
        }
        return table.lines(style: style, width: width) + [style.dim("\(sagas.count) saga\(sagas.count == 1 ? "" : "s")")]
    }

    /// `Return setup` for `return-setup`, `return_setup` or `Return setup`.
    static func definition(_ kind: String) -> String {
        let words = kind.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ").lowercased()
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}

struct SagaShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One saga's timeline: every attempt, back-off, outcome and duration, with the services' spans under each.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The saga's id.")
    var sagaID: String

    func run() async throws {
        let sagaID = self.sagaID
        let (timeline, trace) = try await self.connection.withClient { try await sagaTimeline($0, sagaID) }
        if self.output.json { return try self.output.printJSON(sagaJSON(timeline, trace)) }
        timeline.lines(style: .current, width: self.output.width).forEach { say($0) }
    }
}

struct SagaRetry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Resumes a stuck saga where it stopped (recorded with you and the reason).")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The stuck saga's id.")
    var sagaID: String

    @Option(help: "Why; kept in the saga's history.")
    var reason: String = "retried by an operator"

    func run() async throws {
        let request = Aftercare_Gateway_V1_SagaActionRequest.with { $0.sagaID = self.sagaID; $0.reason = self.reason }
        let view = try await self.connection.withClient { try await $0.retrySaga(request) }
        try SagaActionReport.report(view, "retried", output: self.output)
    }
}

struct SagaResolve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Closes a stuck saga by hand (recorded with you and the reason).")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The stuck saga's id.")
    var sagaID: String

    @Option(help: "Why, required: what was done by hand.")
    var reason: String

    func run() async throws {
        let request = Aftercare_Gateway_V1_SagaActionRequest.with { $0.sagaID = self.sagaID; $0.reason = self.reason }
        let view = try await self.connection.withClient { try await $0.resolveSaga(request) }
        try SagaActionReport.report(view, "resolved", output: self.output)
    }
}

/// What an operator action on a saga prints.
enum SagaActionReport {
    static func report(_ view: Aftercare_Gateway_V1_SagaView, _ done: String, output: OutputOptions) throws {
        if output.json { return try output.printJSON(["saga": view]) }
        let style = Style.current
        say("saga \(view.saga.sagaID) \(done): now \(style.outcome(view.saga.state)) at \(view.saga.step.isEmpty ? "-" : view.saga.step)")
    }
}
