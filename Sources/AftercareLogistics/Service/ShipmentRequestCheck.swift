import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit

/// Checks of logistics' requests, before anything is written; each throws INVALID_ARGUMENT naming
/// the field.
enum ShipmentRequestCheck {
    /// The longest address accepted.
    static let maxAddressLength = 512
    /// The longest carrier location or description accepted.
    static let maxDetailLength = 512

    /// A known carrier code.
    static func carrier(_ code: String, _ field: String) throws -> Carrier {
        try RequestCheck.required(code, field, maxLength: 32)
        guard let carrier = Carrier.named(code) else {
            throw RPCError.invalidField(field, "unknown carrier \(code); one of \(Carrier.codes)")
        }
        return carrier
    }

    /// A well-formed tracking number.
    static func trackingNumber(_ number: String, _ field: String) throws {
        try RequestCheck.required(number, field, maxLength: 40)
        guard Carrier.isWellFormed(trackingNumber: number) else {
            throw RPCError.invalidField(field, "4 to 40 characters of A-Z, a-z, 0-9 and '-', got \"\(number)\"")
        }
    }

    /// A checked CreateShipment request: its kind.
    static func create(_ request: Aftercare_Logistics_V1_CreateShipmentRequest) throws -> ShipmentKind {
        guard let kind = ShipmentKind(request.kind) else {
            throw RPCError.invalidField("kind", "required: outbound, return, replacement or back_to_buyer")
        }
        try RequestCheck.required(request.orderID, "order_id")
        if kind.needsCase {
            try RequestCheck.required(request.caseID, "case_id")
        } else {
            try RequestCheck.optional(request.caseID, "case_id")
        }
        _ = try self.carrier(request.carrier, "carrier")
        if kind != .return || !request.trackingNumber.isEmpty {
            try self.trackingNumber(request.trackingNumber, "tracking_number")
        }
        try RequestCheck.required(request.buyerID, "buyer_id")
        try RequestCheck.required(request.sellerID, "seller_id")
        try RequestCheck.optional(request.senderAddress, "sender_address", maxLength: self.maxAddressLength)
        try RequestCheck.optional(request.recipientAddress, "recipient_address", maxLength: self.maxAddressLength)
        return kind
    }

    static func cancel(_ request: Aftercare_Logistics_V1_CancelShipmentRequest) throws {
        try RequestCheck.required(request.shipmentID, "shipment_id")
        try RequestCheck.required(request.reason, "reason", maxLength: self.maxDetailLength)
    }

    static func registerBuyerTracking(_ request: Aftercare_Logistics_V1_RegisterBuyerTrackingRequest) throws {
        try RequestCheck.required(request.shipmentID, "shipment_id")
        _ = try self.carrier(request.carrier, "carrier")
        try self.trackingNumber(request.trackingNumber, "tracking_number")
    }

    /// A checked IngestCarrierEvent request as a carrier event.
    static func carrierEvent(_ request: Aftercare_Logistics_V1_IngestCarrierEventRequest) throws -> CarrierEvent {
        _ = try self.carrier(request.carrier, "carrier")
        try self.trackingNumber(request.trackingNumber, "tracking_number")
        try RequestCheck.required(request.carrierEventID, "carrier_event_id", maxLength: 128)
        guard let kind = CarrierEventKind(request.kind) else {
            throw RPCError.invalidField("kind", "required: picked_up, in_transit, delivered or lost")
        }
        try RequestCheck.positive(request.occurredAtUnixMicros, "occurred_at_unix_micros")
        try RequestCheck.optional(request.location, "location", maxLength: self.maxDetailLength)
        try RequestCheck.optional(request.description_p, "description", maxLength: self.maxDetailLength)
        return CarrierEvent(
            carrier: request.carrier, trackingNumber: request.trackingNumber, eventID: request.carrierEventID, kind: kind,
            occurredAtMicros: request.occurredAtUnixMicros, location: request.location, description: request.description_p)
    }

    /// A checked AdvanceShipment request: the kind it asks for, `nil` for "next".
    static func advance(_ request: Aftercare_Logistics_V1_AdvanceShipmentRequest) throws -> CarrierEventKind? {
        try RequestCheck.required(request.shipmentID, "shipment_id")
        try RequestCheck.optional(request.carrierEventID, "carrier_event_id", maxLength: 128)
        guard request.occurredAtUnixMicros >= 0 else {
            throw RPCError.invalidField("occurred_at_unix_micros", "must not be negative, got \(request.occurredAtUnixMicros)")
        }
        try RequestCheck.optional(request.location, "location", maxLength: self.maxDetailLength)
        try RequestCheck.optional(request.description_p, "description", maxLength: self.maxDetailLength)
        switch request.to {
        case .unspecified: return nil
        case .UNRECOGNIZED(let value): throw RPCError.invalidField("to", "unknown carrier event kind \(value)")
        default: return CarrierEventKind(request.to)
        }
    }

    static func get(_ request: Aftercare_Logistics_V1_GetShipmentRequest) throws {
        try RequestCheck.required(request.shipmentID, "shipment_id")
    }

    static func track(_ request: Aftercare_Logistics_V1_TrackShipmentRequest) throws {
        _ = try self.carrier(request.carrier, "carrier")
        try self.trackingNumber(request.trackingNumber, "tracking_number")
    }

    static func list(_ request: Aftercare_Logistics_V1_ListShipmentsRequest) throws {
        try RequestCheck.required(request.orderID, "order_id")
        try RequestCheck.optional(request.caseID, "case_id")
    }
}
