package import AftercareRPC
import AftercareAftersalesAPI
import AftercareFeedbackAPI
import AftercareLogisticsAPI
import AftercareOrdersAPI
import AftercareServiceKit

/// Tells feedback what it learns from the other feeds; every call is idempotent by its natural key
/// (feedback.proto), so a replayed event changes nothing:
/// - an outbound shipment delivered (`logistics.shipment.delivered`, the shipment now delivered) →
///   `RecordDelivery` for each line of its order (read with orders' `GetOrder`), the shipment being
///   the delivery;
/// - `aftersales.case.opened` → `RecordCaseOpened` for each line of the case;
/// - `aftersales.case.closed` → `RecordCaseClosed`.
package struct FeedbackRelay: EventHandler {
    let orders: RPCClient
    let feedback: RPCClient
    let callTimeout: Duration

    /// - Parameters:
    ///   - orders: a running client of the orders service.
    ///   - feedback: a running client of the feedback service.
    ///   - callTimeout: each call's deadline (default 10 s); a failed call fails the event, which
    ///     the router delivers again.
    package init(orders: RPCClient, feedback: RPCClient, callTimeout: Duration = .seconds(10)) {
        self.orders = orders
        self.feedback = feedback
        self.callTimeout = callTimeout
    }

    package func handle(_ event: Aftercare_Common_V1_Event) async throws {
        switch event.type {
        case LogisticsEventTypes.delivered:
            guard let change = event.payload(as: Aftercare_Logistics_V1_ShipmentChanged.self),
                change.shipment.kind == .outbound, change.shipment.state == .delivered
            else { return }
            try await self.recordDelivery(of: change.shipment)
        case AftersalesEventTypes.opened:
            guard let change = event.payload(as: Aftercare_Aftersales_V1_CaseChanged.self) else { return }
            for line in change.record.lines {
                var request = Aftercare_Feedback_V1_RecordCaseOpenedRequest()
                request.caseID = change.record.caseID
                request.orderID = change.record.orderID
                request.lineID = line.lineID
                _ = try await self.feedback.unary(FeedbackMethods.recordCaseOpened, request, options: self.options)
            }
        case AftersalesEventTypes.closed:
            guard let change = event.payload(as: Aftercare_Aftersales_V1_CaseChanged.self) else { return }
            var request = Aftercare_Feedback_V1_RecordCaseClosedRequest()
            request.caseID = change.record.caseID
            _ = try await self.feedback.unary(FeedbackMethods.recordCaseClosed, request, options: self.options)
        default:
            return
        }
    }

    private var options: CallOptions { CallOptions(timeout: self.callTimeout) }

    private func recordDelivery(of shipment: Aftercare_Logistics_V1_Shipment) async throws {
        var get = Aftercare_Orders_V1_GetOrderRequest()
        get.orderID = shipment.orderID
        let order = try await self.orders.unary(OrdersMethods.getOrder, get, options: self.options).order
        for line in order.lines {
            var request = Aftercare_Feedback_V1_RecordDeliveryRequest()
            request.orderID = order.orderID
            request.lineID = line.lineID
            request.deliveryID = shipment.shipmentID
            request.productID = line.sku
            request.buyerID = order.buyerID
            request.sellerID = order.sellerID
            request.deliveredAtUnixMicros = shipment.deliveredAtUnixMicros
            request.promisedDeliveryUnixMicros = order.promisedDeliveryUnixMicros
            _ = try await self.feedback.unary(FeedbackMethods.recordDelivery, request, options: self.options)
        }
    }
}
