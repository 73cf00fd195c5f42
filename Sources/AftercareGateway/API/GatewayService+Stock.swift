import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit

extension GatewayService {
    /// Stock for sellers' back offices: a seller sets and reads the stock of their own SKUs (the
    /// first seller to set a SKU owns it); platform and operator set and read any.
    func registerStock(in router: inout RPCRouter) {
        router.unary(GatewayMethods.setStock) { request, context in
            let caller = try self.access.caller(context, actors: [.seller, .platform, .operator])
            var request = request
            if caller.actor?.kind == .seller { request.sellerID = try caller.own(request.sellerID, "seller_id") }
            return try await self.peers.orders.unary(OrdersMethods.setStock, request, options: GatewayPeers.options(context))
        }
        router.unary(GatewayMethods.getStock) { request, context in
            let caller = try self.access.caller(context, actors: [.seller, .platform, .operator])
            let response = try await self.peers.orders.unary(OrdersMethods.getStock, request, options: GatewayPeers.options(context))
            if let actor = caller.actor, actor.kind == .seller, !response.stock.sellerID.isEmpty, response.stock.sellerID != actor.id {
                throw GatewayCaller.denied("sku", "sku \(request.sku) belongs to another seller")
            }
            return response
        }
    }
}
