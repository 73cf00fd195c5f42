package import AftercareAftersalesAPI
package import AftercareLogisticsAPI
package import AftercareOrdersAPI
package import AftercareRPC
import AftercareServiceKit

/// Starts the sagas feed events call for, through starters the gateway gives it:
/// - `aftersales.case.saga_requested` → `startCaseSaga` with its `SagaRequested` payload;
/// - a carrier event (`logistics.shipment.picked_up`, `.in_transit`, `.delivered`, `.lost`, history-only
///   ones included) on a case's return, replacement or back-to-buyer shipment → `startCarrierProgress`
///   with its `ShipmentChanged` payload;
/// - `orders.order.cancelling` (a paid order's cancellation requested) → `startOrderCancellation`
///   with its `Order` payload.
///
/// Each payload is read here, once; an event of these types without its payload starts nothing.
/// Each event may come more than once: a starter must derive the saga's id from the event (the
/// case event's id, or the carrier and carrier event id of `entry`) so a replay starts nothing new.
package struct SagaTriggers: EventHandler {
    package typealias CaseSagaStarter = @Sendable (Aftercare_Common_V1_Event, Aftercare_Aftersales_V1_SagaRequested) async throws -> Void
    package typealias CarrierProgressStarter = @Sendable (Aftercare_Common_V1_Event, Aftercare_Logistics_V1_ShipmentChanged) async throws -> Void

    package typealias OrderSagaStarter = @Sendable (Aftercare_Common_V1_Event, Aftercare_Orders_V1_Order) async throws -> Void

    let startCaseSaga: CaseSagaStarter
    let startCarrierProgress: CarrierProgressStarter
    let startOrderCancellation: OrderSagaStarter

    static let caseShipmentKinds: Set<Aftercare_Logistics_V1_ShipmentKind> = [.return, .replacement, .backToBuyer]

    package init(
        startCaseSaga: @escaping CaseSagaStarter, startCarrierProgress: @escaping CarrierProgressStarter,
        startOrderCancellation: @escaping OrderSagaStarter
    ) {
        self.startCaseSaga = startCaseSaga
        self.startCarrierProgress = startCarrierProgress
        self.startOrderCancellation = startOrderCancellation
    }

    package func handle(_ event: Aftercare_Common_V1_Event) async throws {
        if event.type == AftersalesEventTypes.sagaRequested, let request = event.payload(as: Aftercare_Aftersales_V1_SagaRequested.self) {
            try await self.startCaseSaga(event, request)
        } else if LogisticsEventTypes.carrierEvents.contains(event.type),
            let change = event.payload(as: Aftercare_Logistics_V1_ShipmentChanged.self),
            !change.shipment.caseID.isEmpty, Self.caseShipmentKinds.contains(change.shipment.kind)
        {
            try await self.startCarrierProgress(event, change)
        } else if event.type == OrdersEventTypes.cancelling, let order = event.payload(as: Aftercare_Orders_V1_Order.self) {
            try await self.startOrderCancellation(event, order)
        }
    }
}
