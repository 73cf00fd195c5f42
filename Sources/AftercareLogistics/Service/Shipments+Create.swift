import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit
import Logging

extension Shipments {
    /// How many random label numbers are tried before giving up (a collision is already rare).
    static let labelAttempts = 16

    /// Creates a shipment in `label_created`; a `return` without a tracking number gets a label
    /// with a generated one. `request` was checked (`kind` is its kind).
    func create(
        _ request: Aftercare_Logistics_V1_CreateShipmentRequest, kind: ShipmentKind, context: ServerContext, in db: any SQLConnection
    ) throws -> Aftercare_Logistics_V1_Shipment {
        guard let carrier = Carrier.named(request.carrier) else {
            throw RPCError.invalidField("carrier", "unknown carrier \(request.carrier)")
        }
        let number = request.trackingNumber.isEmpty ? try self.unusedLabelNumber(carrier, in: db) : request.trackingNumber
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
        if request.trackingNumber.isEmpty {
            let label = TrackingRecord(carrier: carrier.code, trackingNumber: number, shipmentID: shipment.shipmentID, source: source)
            guard try self.store.claim(label, atMicros: now, in: db) else {
                throw RPCError(.aborted, "label number \(carrier.code) \(number) was taken concurrently; retry", outcome: .notExecuted)
            }
        } else {
            try self.claim(
                carrier: carrier.code, number: number, source: source, for: shipment.shipmentID, field: "tracking_number", atMicros: now,
                in: db)
        }
        try self.record(self.serviceEntry(.created, of: shipment), of: shipment, context: context, in: db)
        db.logCommitted(
            context.logger, "shipment created",
            metadata: [
                "shipment.id": "\(shipment.shipmentID)", "shipment.kind": "\(kind)", "order.id": "\(shipment.orderID)",
                "case.id": "\(shipment.caseID)", "shipment.carrier": "\(carrier.code)", "shipment.tracking_number": "\(number)",
            ])
        return try self.answer(shipment, in: db)
    }

    /// A label number no shipment holds yet. The claim at insert still decides: should a concurrent
    /// writer take the same random number in between, the call fails with ABORTED (not remembered
    /// by the ledgers) and its retry draws another.
    private func unusedLabelNumber(_ carrier: Carrier, in db: any SQLConnection) throws -> String {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<Self.labelAttempts {
            let number = carrier.makeLabelNumber(using: &generator)
            if try self.store.tracking(carrier: carrier.code, number: number, in: db) == nil { return number }
        }
        throw RPCError(.resourceExhausted, "no unused \(carrier.code) label number after \(Self.labelAttempts) attempts", outcome: .notExecuted)
    }
}
