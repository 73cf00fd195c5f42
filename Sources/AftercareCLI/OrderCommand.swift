import AftercareAftersalesAPI
import AftercareClient
import AftercareFeedbackAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import ArgumentParser
import SwiftProtobuf

/// `aftercare order …`.
struct OrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "order", abstract: "Orders as every service sees them.", subcommands: [OrderShow.self])
}

struct OrderShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One order with its payments, refunds, shipments, cases and reviews.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The order's id.")
    var orderID: String

    func run() async throws {
        let orderID = self.orderID
        let view = try await self.connection.withClient { try await $0.getOrder(.with { $0.orderID = orderID }) }
        if self.output.json { return try self.output.printJSON(["order": view]) }
        let style = Style.current
        let order = view.order
        let width = self.output.width
        TextFit.wrap("\(style.bold("order \(order.orderID)"))  \(order.status)   buyer \(order.buyerID)   seller \(order.sellerID)", width: width, rest: "  ").forEach { say($0) }
        TextFit.wrap(
            "total \(order.total.formatted)   paid \(order.paid.formatted)   refunded \(order.refunded.formatted)   refundable \(order.refundable.formatted)",
            width: width, first: "  ", rest: "  "
        ).forEach { say($0) }
        var lines = Table(.elide("LINE"), .elide("SKU"), "QTY", "UNIT PRICE", "REFUNDED")
        for line in order.lines { lines.add(line.lineID, line.sku, "\(line.quantity)", line.unitPrice.formatted, "\(line.refundedQuantity)") }
        lines.lines(style: style, width: width - 4).forEach { say("    " + $0) }
        var records = Table("RECORD", .elide("ID"), .wrap("STATE"), .wrap("AMOUNT / DETAIL"))
        for payment in view.payments { records.add("payment", payment.paymentID, "\(payment.status)", "\(payment.amount.formatted) via \(payment.channel)") }
        for refund in view.refunds { records.add("refund", refund.refundID, "\(refund.status)", refund.amount.formatted) }
        for shipment in view.shipments { records.add("shipment", shipment.shipmentID, "\(shipment.state)", "\(shipment.kind) \(shipment.carrier) \(shipment.trackingNumber)") }
        for record in view.cases { records.add("case", record.caseID, record.state, "\(record.kind) \(record.amount.formatted)") }
        for review in view.reviews { records.add("review", review.reviewID, "\(review.state)", "\(review.stars) ★") }
        say()
        records.lines(style: style, width: width - 4).forEach { say("    " + $0) }
    }
}
