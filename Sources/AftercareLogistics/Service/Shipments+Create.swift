import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit
import GRDB
import Logging

extension Shipments {
    /// How many random label numbers are tried before giving up (a collision is already rare).
    static let labelAttempts = 16

    /// Creates a shipment in `label_created`; a `return` without a tracking number gets a label
    /// with a generated one. `request` was checked (`kind` is its kind).
    func create(
        _ request: Aftercare_Logistics_V1_CreateShipmentRequest, kind: ShipmentKind, context: ServerContext, in db: Database
    ) throws -> Aftercare_Logistics_V1_Shipment {
        guard let carrier = Carrier.named(request.carrier) else {
            throw RPCError.invalidField("carrier", "unknown carrier \(request.carrier)")
        }
        var number = request.trackingNumber
        if number.isEmpty {
            number = try self.unusedLabelNumber(carrier, in: db)
        } else {
            try self.requireUnused(carrier: carrier.code, number: number, field: "tracking_number", in: db)
        }
        let now = self.clock.nowMicros
        let source: TrackingSource = kind == .return ? .label : .sender
        let shipment = ShipmentRecord(
            shipmentID: RecordID.make("shp", atMicros: now), kind: kind, state: .labelCreated, orderID: request.orderID,
            caseID: request.caseID, buyerID: request.buyerID, sellerID: request.sellerID, carrier: carrier.code, trackingNumber: number,
            trackingSource: source,
            label: kind == .return ? ReturnLabelRecord(carrier: carrier.code, trackingNumber: number, createdAtMicros: now) : nil,
            senderAddress: request.senderAddress, recipientAddress: request.recipientAddress, cancelReason: "", createdAtMicros: now,
            updatedAtMicros: now)
        try self.store.insert(shipment, in: db)
        try self.store.insert(
            TrackingRecord(carrier: carrier.code, trackingNumber: number, shipmentID: shipment.shipmentID, source: source),
            atMicros: now, in: db)
        try self.record(self.serviceEntry(.created, of: shipment), of: shipment, context: context, in: db)
        context.logger.info(
            "shipment created",
            metadata: [
                "shipment.id": "\(shipment.shipmentID)", "shipment.kind": "\(kind)", "order.id": "\(shipment.orderID)",
                "case.id": "\(shipment.caseID)", "shipment.carrier": "\(carrier.code)", "shipment.tracking_number": "\(number)",
            ])
        return try self.answer(shipment, in: db)
    }

    private func unusedLabelNumber(_ carrier: Carrier, in db: Database) throws -> String {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<Self.labelAttempts {
            let number = carrier.makeLabelNumber(using: &generator)
            if try self.store.tracking(carrier: carrier.code, number: number, in: db) == nil { return number }
        }
        throw RPCError(.resourceExhausted, "no unused \(carrier.code) label number after \(Self.labelAttempts) attempts", outcome: .notExecuted)
    }
}
