import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Logging

extension Shipments {
    /// Cancels `shipmentID` before pick-up: its label, or the tracking the buyer registered on it.
    /// A shipment already cancelled is answered as it is; any other state is FAILED_PRECONDITION
    /// naming it.
    func cancel(_ shipmentID: String, reason: String, context: ServerContext, in db: any SQLConnection) throws -> Aftercare_Logistics_V1_Shipment {
        var shipment = try self.loadForChange(shipmentID, in: db)
        guard ShipmentRules.canCancel(shipment.state) else {
            throw RPCError.failedPrecondition(
                "shipment \(shipmentID) is \(shipment.state): only a shipment in label_created (before the carrier's pick-up) can be cancelled")
        }
        if shipment.state == .cancelled {
            return try self.answer(shipment, in: db)
        }
        shipment.state = .cancelled
        shipment.cancelReason = reason
        shipment.updatedAtMicros = self.clock.nowMicros
        try self.store.update(shipment, in: db)
        try self.record(self.serviceEntry(.cancelled, of: shipment, description: reason), of: shipment, context: context, in: db)
        db.logCommitted(
            context.logger, "shipment cancelled",
            metadata: ["shipment.id": "\(shipmentID)", "shipment.tracking_number": "\(shipment.trackingNumber)", "reason": "\(reason)"])
        return try self.answer(shipment, in: db)
    }

    /// The compensation of a saga's CreateShipment: cancels the shipment its forward call created
    /// (`created`, the forward call's stored answer).
    func undoCreate(_ created: Aftercare_Logistics_V1_Shipment, context: ServerContext, in db: any SQLConnection) throws
        -> Aftercare_Logistics_V1_Shipment
    {
        try self.cancel(created.shipmentID, reason: "compensation of saga step \(context.saga?.description ?? "?")", context: context, in: db)
    }
}
