import AftercareAftersalesAPI
import AftercareClient
import AftercareGatewayAPI
import ArgumentParser
import SwiftProtobuf

/// `aftercare case …`.
struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "Show a case; retry, pay out or close a case whose refund failed.",
        subcommands: [CaseShow.self, CaseRetryRefund.self, CasePayout.self, CaseClose.self])
}

/// The options every operator action on a case shares.
struct CaseActionOptions: ParsableArguments {
    @Argument(help: "The case's id.")
    var caseID: String

    @Option(help: "The idempotency key (default: a new one); give the same key to repeat an action safely.")
    var idempotencyKey: String?
}

/// Runs an operator action on the case `action` names, with `reason` (and `reference`), and prints
/// the case as it then is.
func caseAction(
    _ action: CaseActionOptions, reason: String, reference: String = "", _ connection: ConnectionOptions, _ output: OutputOptions, done: String,
    _ call: @Sendable (AftercareClient, Aftercare_Gateway_V1_CaseOperatorRequest, AftercareClient.CallOptions) async throws -> Aftercare_Gateway_V1_CaseView
) async throws {
    let request = Aftercare_Gateway_V1_CaseOperatorRequest.with {
        $0.caseID = action.caseID
        $0.reason = reason
        $0.reference = reference
    }
    let options = AftercareClient.CallOptions(idempotencyKey: action.idempotencyKey)
    let view = try await connection.withClient { try await call($0, request, options) }
    if output.json { return try output.printJSON(["case": view]) }
    let style = Style.current
    let lines = [
        "case \(view.record.caseID) \(done): now \(style.bold(view.record.state))",
        "  its sagas start from the case's events; follow them with: \(TextFit.unbroken("aftercare case show \(view.record.caseID)"))",
    ]
    lines.flatMap { TextFit.wrap($0, width: output.width, rest: "    ") }.forEach { say($0) }
}

struct CaseRetryRefund: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry-refund", abstract: "A failed refund tried again: a new Refund saga.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var action: CaseActionOptions

    @Option(help: "Why; kept in the case's history.")
    var reason: String = ""

    func run() async throws {
        try await caseAction(self.action, reason: self.reason, self.connection, self.output, done: "refund retried") {
            try await $0.retryRefund($1, options: $2)
        }
    }
}

struct CasePayout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payout", abstract: "A failed refund paid by hand (a bank transfer, say): recorded through payments' manual channel as a new Refund saga.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var action: CaseActionOptions

    @Option(help: "The payout's reference, required: the transfer's id.")
    var reference: String

    @Option(help: "Why; kept in the case's history.")
    var reason: String = ""

    func run() async throws {
        try await caseAction(self.action, reason: self.reason, reference: self.reference, self.connection, self.output, done: "paid out by hand") {
            try await $0.recordManualPayout($1, options: $2)
        }
    }
}

struct CaseClose: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "Closes a refund-only case whose refund failed (CLOSED_REJECTED).")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var action: CaseActionOptions

    @Option(help: "Why, required; kept in the case's history.")
    var reason: String

    func run() async throws {
        try await caseAction(self.action, reason: self.reason, self.connection, self.output, done: "closed") {
            try await $0.closeCase($1, options: $2)
        }
    }
}
