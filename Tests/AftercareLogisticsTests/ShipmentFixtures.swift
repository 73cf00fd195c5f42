@testable import AftercareLogistics

/// Records the store suites write directly, without the service.
enum ShipmentFixtures {
    /// A shipment of order ord_1 and case case_1 in `label_created`; a `return` has its label.
    static func shipment(
        _ shipmentID: String, kind: ShipmentKind = .outbound, tracking: String, caseID: String = "case_1", at micros: Int64 = 1_000
    ) -> ShipmentRecord {
        ShipmentRecord(
            shipmentID: shipmentID, kind: kind, state: .labelCreated, orderID: "ord_1", caseID: caseID, buyerID: "buyer_1", sellerID: "seller_1",
            carrier: "sf_express", trackingNumber: tracking, trackingSource: kind == .return ? .label : .sender,
            label: kind == .return ? ReturnLabelRecord(carrier: "sf_express", trackingNumber: tracking, createdAtMicros: micros) : nil,
            senderAddress: "Shenzhen", recipientAddress: "Shanghai", cancelReason: "", createdAtMicros: micros, updatedAtMicros: micros)
    }

    /// `shipment`'s claim of its own tracking number.
    static func tracking(_ shipment: ShipmentRecord) -> TrackingRecord {
        TrackingRecord(carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, shipmentID: shipment.shipmentID, source: shipment.trackingSource)
    }

    /// A carrier's `kind` event `eventID` on `shipmentID`.
    static func carrierEntry(_ shipmentID: String, _ kind: ShipmentEventKind, eventID: String, tracking: String, at micros: Int64 = 2_000)
        -> ShipmentEventRecord
    {
        ShipmentEventRecord(
            shipmentID: shipmentID, kind: kind, effect: .advanced, carrier: "sf_express", carrierEventID: eventID, trackingNumber: tracking,
            occurredAtMicros: micros, recordedAtMicros: micros + 1, location: "Shenzhen hub", description: "\(kind)")
    }
}
