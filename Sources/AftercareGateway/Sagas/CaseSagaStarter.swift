package import AftercareRPC
package import AftercareSagas
import SwiftProtobuf
package import AftercareAftersalesAPI
package import AftercareLogisticsAPI
package import AftercareOrdersAPI
import AftercareServiceKit
import AftercareWire

/// Starts the gateway's sagas from the services' events: a case's `aftersales.case.saga_requested`
/// starts the saga it names, a carrier event on a case's return, replacement or back-to-buyer
/// shipment starts Carrier progress. The saga's id is derived from the event's id, and the engine's
/// start is idempotent by id, so a replayed event starts nothing new (it answers the saga it
/// started). Call ``SagaEngine/run()`` (or ``SagaEngine/runToEnd(_:)``) to drive what it starts.
package struct CaseSagaStarter: Sendable {
    package let engine: SagaEngine
    let configuration: GatewaySagas.Configuration
    let index: CaseSagaIndex

    /// - Parameters:
    ///   - engine: an engine with ``GatewaySagas/definitions(_:)`` (the same `configuration`), whose
    ///     database also holds the gateway's other tables (``AftercareServiceKit/ServiceMigrations/gateway``):
    ///     each saga it starts is recorded there by case (``CaseSagaIndex``).
    ///   - configuration: the carrier of the shipments the sagas create.
    package init(engine: SagaEngine, configuration: GatewaySagas.Configuration = .defaults) {
        self.engine = engine
        self.configuration = configuration
        self.index = CaseSagaIndex(database: engine.database)
    }

    /// Starts the saga an `aftersales.case.saga_requested` event asks for (`requested`, its payload,
    /// read once by ``SagaTriggers``), with the case snapshot it carries; answers it (or the saga
    /// this event started before).
    /// - Throws: ``CaseSagaStarterError`` for a saga no case event starts.
    @discardableResult
    package func start(_ requested: Aftercare_Aftersales_V1_SagaRequested, from event: Aftercare_Common_V1_Event) async throws -> SagaRecord {
        let name = requested.saga
        let caseSagas = [
            GatewaySagas.Name.returnSetup, GatewaySagas.Name.returnCancellation, GatewaySagas.Name.refund,
            GatewaySagas.Name.returnToBuyer, GatewaySagas.Name.exchangeFulfilment,
        ]
        guard caseSagas.contains(name) else {
            throw CaseSagaStarterError("event \(event.eventID) asks for saga \"\(name)\", which no case event starts")
        }
        let sagaID = GatewaySagas.sagaID(name, eventID: event.eventID)
        if let existing = try await self.engine.saga(sagaID) { return try await self.indexed(existing, caseID: requested.record.caseID) }
        let values = Self.values(of: requested.record, sagaID: sagaID, carrier: self.configuration.carrier)
        let saga = try await self.engine.start(name, sagaID: sagaID, values: values, traceID: TraceID(hex: event.traceID), parentSpanID: event.writerSpanID)
        return try await self.indexed(saga, caseID: requested.record.caseID)
    }

    /// Starts Order cancellation for an `orders.order.cancelling` event (`order`, its payload):
    /// refund what is left of the order's payment, then finish the cancellation; answers it (or the
    /// saga this event started before).
    @discardableResult
    package func startOrderCancellation(_ order: Aftercare_Orders_V1_Order, from event: Aftercare_Common_V1_Event) async throws -> SagaRecord {
        let name = GatewaySagas.Name.orderCancellation
        let sagaID = GatewaySagas.sagaID(name, eventID: event.eventID)
        if let existing = try await self.engine.saga(sagaID) { return existing }
        var values = SagaValues()
        values[SagaKey.orderID] = order.orderID
        values[SagaKey.buyerID] = order.buyerID
        values[SagaKey.sellerID] = order.sellerID
        values[SagaKey.paymentID] = order.paymentID
        values[SagaKey.amountMinor] = String(order.refundable.amountMinor)
        values[SagaKey.currency] = order.total.currency
        return try await self.engine.start(name, sagaID: sagaID, values: values, traceID: TraceID(hex: event.traceID), parentSpanID: event.writerSpanID)
    }

    /// `saga`, once the index says it is case `caseID`'s.
    private func indexed(_ saga: SagaRecord, caseID: String) async throws -> SagaRecord {
        try await self.index.record(caseID: caseID, sagaID: saga.id, createdMicros: saga.createdMicros)
        return saga
    }

    /// Starts Carrier progress for a logistics carrier event (`changed`, its payload: picked up, in
    /// transit, delivered, lost) about a shipment whose `case_id` is set and whose kind is return,
    /// replacement or back to the buyer; answers it (or the saga this event started before). `nil`
    /// for any other shipment or entry.
    @discardableResult
    package func startCarrierProgress(_ changed: Aftercare_Logistics_V1_ShipmentChanged, from event: Aftercare_Common_V1_Event) async throws -> SagaRecord? {
        let shipment = changed.shipment
        let kinds: [Aftercare_Logistics_V1_ShipmentKind: String] = [
            .return: "return", .replacement: "replacement", .backToBuyer: "back_to_buyer",
        ]
        let events: [Aftercare_Logistics_V1_ShipmentEventKind: String] = [
            .pickedUp: "picked_up", .inTransit: "in_transit", .delivered: "delivered", .lost: "lost",
        ]
        guard !shipment.caseID.isEmpty, let kind = kinds[shipment.kind], let name = events[changed.entry.kind],
            !changed.entry.carrierEventID.isEmpty
        else { return nil }
        let values: SagaValues = [
            SagaKey.caseID: shipment.caseID,
            SagaKey.shipmentKind: kind,
            SagaKey.shipmentID: shipment.shipmentID,
            SagaKey.carrierEventID: "\(changed.entry.carrier):\(changed.entry.carrierEventID)",
            SagaKey.carrierEvent: name,
            SagaKey.occurredAtMicros: String(changed.entry.occurredAtUnixMicros),
            SagaKey.description: changed.entry.description_p,
        ]
        let saga = try await self.engine.start(
            GatewaySagas.Name.carrierProgress, sagaID: GatewaySagas.sagaID(GatewaySagas.Name.carrierProgress, eventID: event.eventID),
            values: values, traceID: TraceID(hex: event.traceID), parentSpanID: event.writerSpanID)
        return try await self.indexed(saga, caseID: shipment.caseID)
    }

    /// A case saga's input, from the case snapshot.
    static func values(of record: Aftercare_Aftersales_V1_Case, sagaID: String, carrier: String) -> SagaValues {
        let kinds: [Aftercare_Aftersales_V1_CaseKind: String] = [
            .refundOnly: SagaCaseKind.refundOnly, .returnAndRefund: SagaCaseKind.returnAndRefund, .exchange: SagaCaseKind.exchange,
        ]
        var values: SagaValues = [
            SagaKey.caseID: record.caseID,
            SagaKey.caseKind: kinds[record.kind] ?? "",
            SagaKey.orderID: record.orderID,
            SagaKey.buyerID: record.buyerID,
            SagaKey.sellerID: record.sellerID,
            SagaKey.amountMinor: String(record.amount.amountMinor),
            SagaKey.currency: record.amount.currency,
            SagaKey.carrier: carrier,
            SagaKey.trackingNumber: Self.trackingNumber(sagaID),
        ]
        values[SagaKey.lines] = try? SagaCaseLine.encode(record.lines.map(SagaCaseLine.init))
        if !record.replacementSku.isEmpty { values[SagaKey.replacementSKU] = record.replacementSku }
        if record.hasReturnShipment { values[SagaKey.returnShipmentID] = record.returnShipment.shipmentID }
        if !record.manualPayoutReference.isEmpty { values[SagaKey.manualPayoutReference] = record.manualPayoutReference }
        if !record.cancellation.isEmpty { values[SagaKey.cancellation] = record.cancellation }
        return values
    }

    /// The tracking number of a shipment the saga sends: "AC" and the saga id's letters and digits
    /// (its event's unique id), at most 40 characters as logistics allows.
    static func trackingNumber(_ sagaID: String) -> String {
        "AC" + String(sagaID.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.suffix(38))
    }
}

/// An event the starter cannot start a saga from.
package struct CaseSagaStarterError: Error, Sendable, Hashable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) {
        self.description = description
    }
}
