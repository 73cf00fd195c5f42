import AftercareClient
import AftercareOrdersAPI
import AftercareRPC
import ArgumentParser

/// `aftercare totals`: orders created, paid and refunded (O / P / R) in a period, per currency.
struct TotalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "totals",
        abstract: "Orders created, paid and refunded in a period, per currency: the whole platform, one seller or one buyer.",
        discussion: """
            Paid counts the orders paid in the period, refunded the after-sales refunds committed in \
            it; a cancelled order is in neither (its payment went back whole). DATE is YYYY-MM-DD \
            (UTC; --to includes that day) or YYYY-MM-DDTHH:MM:SSZ (--to excludes that instant).
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Option(help: ArgumentHelp("One seller's totals.", valueName: "id"))
    var seller: String?

    @Option(help: ArgumentHelp("One buyer's totals.", valueName: "id"))
    var buyer: String?

    @Option(help: ArgumentHelp("The period's start (default: the beginning).", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("The period's end (default: now).", valueName: "date"))
    var to: String?

    func validate() throws {
        if self.seller != nil && self.buyer != nil { throw ValidationError("give --seller or --buyer, not both") }
        _ = try self.period()
    }

    func run() async throws {
        var request = Aftercare_Orders_V1_GetTotalsRequest()
        if let seller { (request.partyKind, request.partyID) = (.seller, seller) }
        if let buyer { (request.partyKind, request.partyID) = (.buyer, buyer) }
        let period = try self.period()
        (request.fromUnixMicros, request.toUnixMicros) = (period.from, period.to ?? Formatting.nowMicros + 1)
        let totals = try await self.connection.withClient { [request] in try await $0.getTotals(request) }
        if self.output.json { return try self.output.printJSON(["request": request, "totals": totals]) }
        let style = Style.current
        let whose = self.seller.map { "seller \($0)" } ?? self.buyer.map { "buyer \($0)" } ?? "platform"
        say("\(style.bold("totals \(whose)"))   \(period.from == 0 ? "the beginning" : Formatting.time(period.from)) .. \(period.to.map(Formatting.time) ?? "now") (UTC)")
        say("  orders created \(totals.orders)")
        var table = Table("CURRENCY", "PAID", "REFUNDED", "REFUNDED / PAID")
        for row in TotalsRow.rows(paid: totals.paid, refunded: totals.refunded) {
            table.add(row.currency, row.paid.formatted, row.refunded.formatted, row.refundRate)
        }
        if table.rows.isEmpty { return say("  nothing paid or refunded") }
        say()
        table.lines(style: style, width: self.output.width - 4).forEach { say("    " + $0) }
    }

    /// The period in microseconds: `from` 0 for the beginning, `to` nil for now.
    func period() throws -> (from: Int64, to: Int64?) {
        let from = try self.from.map { text -> Int64 in
            guard let micros = TotalsDate.micros(text, endOfDay: false) else { throw ValidationError("--from: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, got \(text)") }
            return micros
        } ?? 0
        let to = try self.to.map { text -> Int64 in
            guard let micros = TotalsDate.micros(text, endOfDay: true) else { throw ValidationError("--to: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, got \(text)") }
            return micros
        }
        if let to, to <= from { throw ValidationError("--to must be after --from") }
        return (from, to)
    }
}
