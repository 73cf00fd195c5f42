import SwiftProtobuf
import AftercareRPC
import AftercareSagas

/// The names of the values the gateway's sagas keep: their input, taken from the case snapshot
/// (or the carrier event) when the saga starts, and what their steps output for later ones.
/// Readable in the saga log as they are.
enum SagaKey {
    // Input, from the case snapshot.
    static let caseID = "case_id"
    /// `refund_only`, `return_and_refund` or `exchange`.
    static let caseKind = "case_kind"
    static let orderID = "order_id"
    static let buyerID = "buyer_id"
    static let sellerID = "seller_id"
    /// The case's amount, in minor units, and its currency.
    static let amountMinor = "amount_minor"
    static let currency = "currency"
    /// The case's lines with their inspection, as JSON (``SagaCaseLine``).
    static let lines = "lines"
    static let replacementSKU = "replacement_sku"
    static let returnShipmentID = "return_shipment_id"
    /// Set when an operator recorded a manual payout: the Refund pays through payments' manual channel.
    static let manualPayoutReference = "manual_payout_reference"
    /// What started a return's cancellation: `buyer_withdrew` or `ship_by_expired`.
    static let cancellation = "cancellation"
    /// The carrier and tracking number of a shipment the seller sends (replacement, back to the
    /// buyer), derived from the saga id so every retry sends the same request.
    static let carrier = "carrier"
    static let trackingNumber = "tracking_number"

    // Input of Carrier progress, from the logistics event.
    /// `return`, `replacement` or `back_to_buyer`.
    static let shipmentKind = "shipment_kind"
    static let carrierEventID = "carrier_event_id"
    /// `picked_up`, `in_transit`, `delivered` or `lost`.
    static let carrierEvent = "carrier_event"
    static let occurredAtMicros = "occurred_at_unix_micros"
    static let description = "description"

    // Outputs.
    /// The order's payment (from orders' reservation answer), which the refund names.
    static let paymentID = "payment_id"
    static let refundID = "refund_id"
    /// What payments refunded, in minor units.
    static let refundedMinor = "refunded_minor"
    /// The shipment a step created (its tracking number and carrier as logistics answered).
    static let shipmentID = "shipment_id"
    static let shipmentCarrier = "shipment_carrier"
    static let shipmentTrackingNumber = "shipment_tracking_number"
}

extension SagaValues {
    /// The int64 under `key`, or ``SagaValueMissing`` naming it.
    func int64(_ key: String) throws -> Int64 {
        guard let value = Int64(try self.require(key)) else { throw CaseSagaStarterError("saga value \(key) is not a whole number") }
        return value
    }

    /// The case's amount.
    func amount() throws -> Aftercare_Common_V1_Money {
        Aftercare_Common_V1_Money(try self.int64(SagaKey.amountMinor), try self.require(SagaKey.currency))
    }

    /// What payments refunded.
    func refunded() throws -> Aftercare_Common_V1_Money {
        Aftercare_Common_V1_Money(try self.int64(SagaKey.refundedMinor), try self.require(SagaKey.currency))
    }

    /// The case's lines.
    func lines() throws -> [SagaCaseLine] {
        try SagaCaseLine.decode(try self.require(SagaKey.lines))
    }

    var isExchange: Bool { self[SagaKey.caseKind] == SagaCaseKind.exchange }
    var isManualPayout: Bool { !(self[SagaKey.manualPayoutReference] ?? "").isEmpty }

    /// Why the saga turned back, for an on-compensated record: the participant's refusal (a
    /// provider's decline, "stock of … available …"), else the engine's reason.
    var turnedBackBecause: String {
        self[SagaValues.refusalKey] ?? self[SagaValues.compensationReasonKey] ?? "the saga was compensated"
    }
}

/// The case kinds as the sagas' values spell them.
enum SagaCaseKind {
    static let refundOnly = "refund_only"
    static let returnAndRefund = "return_and_refund"
    static let exchange = "exchange"
}
