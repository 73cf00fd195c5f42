import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit

extension GatewayService {
    /// An exchange swaps a line for another variant of the same product at the same unit price, from
    /// the order's seller, as the catalogue (orders' stock rows) says. A line whose SKU the catalogue
    /// does not describe is its own product.
    /// - Throws: INVALID_ARGUMENT naming `replacement_sku` for a replacement the catalogue does not
    ///   describe (product and price), another seller's, another product, or another price.
    func checkExchange(_ request: Aftercare_Gateway_V1_ApplyRequest, order: Aftercare_Orders_V1_Order, _ context: ServerContext) async throws {
        try RequestCheck.required(request.replacementSku, "replacement_sku")
        let replacement = try await self.stock(request.replacementSku, context)
        guard !replacement.productID.isEmpty, replacement.hasUnitPrice else {
            throw RPCError.invalidField(
                "replacement_sku", "\(request.replacementSku): the catalogue does not say which product it is, or its price (SetStock product_id, unit_price)")
        }
        guard replacement.sellerID.isEmpty || replacement.sellerID == order.sellerID else {
            throw RPCError.invalidField("replacement_sku", "\(request.replacementSku) is another seller's, not \(order.sellerID)'s")
        }
        for asked in request.lines {
            guard let line = order.lines.first(where: { $0.lineID == asked.lineID }) else { continue }
            let original = try await self.stock(line.sku, context)
            let product = original.productID.isEmpty ? line.sku : original.productID
            guard replacement.productID == product else {
                throw RPCError.invalidField(
                    "replacement_sku", "\(request.replacementSku) is product \(replacement.productID), line \(line.lineID) is product \(product)")
            }
            guard replacement.unitPrice == line.unitPrice else {
                throw RPCError.invalidField(
                    "replacement_sku",
                    "\(request.replacementSku) costs \(replacement.unitPrice.formatted), line \(line.lineID) \(line.unitPrice.formatted): an exchange keeps the price")
            }
        }
    }

    private func stock(_ sku: String, _ context: ServerContext) async throws -> Aftercare_Orders_V1_Stock {
        var get = Aftercare_Orders_V1_GetStockRequest()
        get.sku = sku
        return try await self.peers.orders.unary(OrdersMethods.getStock, get, options: GatewayPeers.options(context)).stock
    }
}
