import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit

extension GatewayService {
    func registerParcels(in router: inout RPCRouter) {
        router.unary(GatewayMethods.ingestCarrierEvent) { request, context in
            _ = try self.access.caller(context, actors: .staff, carrier: true)
            return try await self.peers.logistics.unary(LogisticsMethods.ingestCarrierEvent, request, options: GatewayPeers.options(context))
        }
        router.unary(GatewayMethods.advanceShipment) { request, context in
            _ = try self.access.caller(context, actors: .staff)
            return try await self.peers.logistics.unary(CarrierSimulatorMethods.advanceShipment, request, options: GatewayPeers.options(context))
        }
        router.unary(GatewayMethods.registerReturnTracking) { request, context in
            let caller = try self.access.caller(context, actors: [.buyer])
            let record = try await self.caseRecord(request.caseID, for: caller, context)
            guard record.hasReturnShipment, !record.returnShipment.shipmentID.isEmpty else {
                throw RPCError.failedPrecondition("case \(record.caseID) is \(record.state): it has no return shipment to ship with your own carrier yet")
            }
            var register = Aftercare_Logistics_V1_RegisterBuyerTrackingRequest()
            register.shipmentID = record.returnShipment.shipmentID
            register.carrier = request.carrier
            register.trackingNumber = request.trackingNumber
            return try await self.peers.logistics.unary(
                LogisticsMethods.registerBuyerTracking, register, options: try GatewayPeers.options(context, keyFor: LogisticsMethods.registerBuyerTracking))
        }
        router.unary(GatewayMethods.getShipment) { request, context in
            let caller = try self.access.caller(context, actors: .anyone)
            try RequestCheck.required(request.shipmentID, "shipment_id")
            let shipment = try await self.peers.logistics.unary(LogisticsMethods.getShipment, request, options: GatewayPeers.options(context))
            try caller.requireParty(buyerID: shipment.buyerID, sellerID: shipment.sellerID, field: "shipment_id", id: shipment.shipmentID)
            return shipment
        }
    }
}
