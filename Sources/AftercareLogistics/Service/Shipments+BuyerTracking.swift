import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit
import Logging

extension Shipments {
    /// The buyer ships a return with their own carrier and tracking number: the label becomes
    /// void. Only on a `return` in `label_created`; the same registration again is answered
    /// unchanged.
    func registerBuyerTracking(
        _ request: Aftercare_Logistics_V1_RegisterBuyerTrackingRequest, context: ServerContext, in db: any SQLConnection
    ) throws -> Aftercare_Logistics_V1_Shipment {
        var shipment = try self.loadForChange(request.shipmentID, in: db)
        guard shipment.kind == .return, var label = shipment.label else {
            throw RPCError.failedPrecondition(
                "shipment \(shipment.shipmentID) is a \(shipment.kind) shipment: only a return takes the buyer's own tracking")
        }
        if shipment.trackingSource == .buyer {
            guard shipment.carrier == request.carrier && shipment.trackingNumber == request.trackingNumber else {
                throw RPCError.failedPrecondition(
                    "shipment \(shipment.shipmentID) already travels under the buyer's \(shipment.carrier) tracking number \(shipment.trackingNumber)")
            }
            return try self.answer(shipment, in: db)
        }
        guard shipment.state == .labelCreated else {
            throw RPCError.failedPrecondition(
                "shipment \(shipment.shipmentID) is \(shipment.state): the buyer's tracking can be registered only in label_created")
        }
        let now = self.clock.nowMicros
        try self.claim(
            carrier: request.carrier, number: request.trackingNumber, source: .buyer, for: shipment.shipmentID, field: "tracking_number",
            atMicros: now, in: db)
        label.voidedAtMicros = now
        shipment.label = label
        try self.store.voidTracking(carrier: label.carrier, number: label.trackingNumber, atMicros: now, in: db)
        try self.record(
            self.serviceEntry(.labelVoided, of: shipment, description: "label \(label.carrier) \(label.trackingNumber) is void"),
            of: shipment, context: context, in: db)
        shipment.carrier = request.carrier
        shipment.trackingNumber = request.trackingNumber
        shipment.trackingSource = .buyer
        shipment.updatedAtMicros = now
        try self.store.update(shipment, in: db)
        try self.record(
            self.serviceEntry(
                .buyerTrackingRegistered, of: shipment, description: "buyer ships with \(request.carrier) \(request.trackingNumber)"),
            of: shipment, context: context, in: db)
        db.logCommitted(
            context.logger, "buyer tracking registered",
            metadata: [
                "shipment.id": "\(shipment.shipmentID)", "shipment.carrier": "\(request.carrier)",
                "shipment.tracking_number": "\(request.trackingNumber)", "label.tracking_number": "\(label.trackingNumber)",
            ])
        return try self.answer(shipment, in: db)
    }
}
