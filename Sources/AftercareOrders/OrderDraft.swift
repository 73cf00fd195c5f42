import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit

/// A validated `CreateOrderRequest`: every field checked and the total computed, before anything is
/// written.
struct OrderDraft: Sendable {
    /// The most lines an order may have.
    static let maxLines = 100
    /// The most units one line may have.
    static let maxQuantity: Int64 = 1_000_000

    let request: Aftercare_Orders_V1_CreateOrderRequest
    let totalMinor: Int64

    init(_ request: Aftercare_Orders_V1_CreateOrderRequest) throws(RPCError) {
        try RequestCheck.required(request.buyerID, "buyer_id")
        try RequestCheck.required(request.sellerID, "seller_id")
        try RequestCheck.currency(request.currency, "currency")
        guard !request.lines.isEmpty else { throw RPCError.invalidField("lines", "at least one line is required") }
        guard request.lines.count <= Self.maxLines else {
            throw RPCError.invalidField("lines", "at most \(Self.maxLines) lines, got \(request.lines.count)")
        }
        try RequestCheck.positive(request.promisedDeliveryUnixMicros, "promised_delivery_unix_micros")
        try RequestCheck.money(request.shippingFee, "shipping_fee", allowZero: true)
        try RequestCheck.sameCurrency(request.shippingFee.currency, request.currency, "shipping_fee.currency")
        var total = request.shippingFee.amountMinor
        for (index, line) in request.lines.enumerated() {
            let field = "lines[\(index)]"
            try RequestCheck.required(line.sku, "\(field).sku")
            try RequestCheck.required(line.title, "\(field).title")
            try RequestCheck.required(line.category, "\(field).category")
            try RequestCheck.optional(line.option, "\(field).option")
            try RequestCheck.positive(line.quantity, "\(field).quantity")
            guard line.quantity <= Self.maxQuantity else {
                throw RPCError.invalidField("\(field).quantity", "at most \(Self.maxQuantity), got \(line.quantity)")
            }
            try RequestCheck.money(line.unitPrice, "\(field).unit_price")
            try RequestCheck.sameCurrency(line.unitPrice.currency, request.currency, "\(field).unit_price.currency")
            let lineTotal = try MoneyMath.multiply(line.quantity, line.unitPrice.amountMinor, field: field)
            total = try MoneyMath.add(total, lineTotal, field: "lines")
        }
        self.request = request
        self.totalMinor = total
    }

    /// The new order, `created` at `now`, with fresh ids.
    func order(id: String, now: Int64) -> Aftercare_Orders_V1_Order {
        let currency = self.request.currency
        var order = Aftercare_Orders_V1_Order()
        order.orderID = id
        order.buyerID = self.request.buyerID
        order.sellerID = self.request.sellerID
        order.status = .created
        order.shippingFee = self.request.shippingFee
        order.total = Aftercare_Common_V1_Money(self.totalMinor, currency)
        order.paid = Aftercare_Common_V1_Money(0, currency)
        order.refunded = Aftercare_Common_V1_Money(0, currency)
        order.reserved = Aftercare_Common_V1_Money(0, currency)
        order.refundable = Aftercare_Common_V1_Money(0, currency)
        order.promisedDeliveryUnixMicros = self.request.promisedDeliveryUnixMicros
        order.createdAtUnixMicros = now
        order.updatedAtUnixMicros = now
        order.lines = self.request.lines.map { new in
            var line = Aftercare_Orders_V1_OrderLine()
            line.lineID = RecordID.make("oln", atMicros: now)
            line.sku = new.sku
            line.title = new.title
            line.category = new.category
            line.option = new.option
            line.quantity = new.quantity
            line.unitPrice = new.unitPrice
            line.refunded = Aftercare_Common_V1_Money(0, currency)
            return line
        }
        return order
    }
}
