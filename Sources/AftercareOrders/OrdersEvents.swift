import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit

/// The events the orders service writes to its feed, in the transaction of the change:
/// `orders.order.*` (payload Order), `orders.reservation.*` (payload Reservation),
/// `orders.stock.changed` (payload Stock).
struct OrdersEvents: Sendable {
    let feed: EventFeed

    /// `orders.order.<its status>` about `order`, as it stands.
    func order(_ order: Aftercare_Orders_V1_Order, context: ServerContext?, in db: any SQLConnection) throws {
        var subjects = Aftercare_Common_V1_EventSubjects()
        subjects.orderID = order.orderID
        try self.feed.append(
            Aftercare_Common_V1_Event(
                type: OrdersEventTypes.order(order.status), payload: order, subjects: subjects, buyerID: order.buyerID, sellerID: order.sellerID),
            context: context, in: db)
    }

    /// `orders.reservation.<what>` about `reservation` on `order`.
    func reservation(
        _ what: String, _ reservation: Aftercare_Orders_V1_Reservation, order: Aftercare_Orders_V1_Order, context: ServerContext,
        in db: any SQLConnection
    ) throws {
        var subjects = Aftercare_Common_V1_EventSubjects()
        subjects.orderID = order.orderID
        subjects.caseID = reservation.caseID
        try self.feed.append(
            Aftercare_Common_V1_Event(
                type: "orders.reservation.\(what)", payload: reservation, subjects: subjects, buyerID: order.buyerID,
                sellerID: order.sellerID),
            context: context, in: db)
    }

    /// `orders.stock.changed` about `stock`, for the case and order that moved it, if any.
    func stock(
        _ stock: Aftercare_Orders_V1_Stock, caseID: String = "", order: Aftercare_Orders_V1_Order? = nil, context: ServerContext,
        in db: any SQLConnection
    ) throws {
        var subjects = Aftercare_Common_V1_EventSubjects()
        subjects.caseID = caseID
        subjects.orderID = order?.orderID ?? ""
        try self.feed.append(
            Aftercare_Common_V1_Event(
                type: "orders.stock.changed", payload: stock, subjects: subjects, buyerID: order?.buyerID ?? "",
                sellerID: order?.sellerID ?? ""),
            context: context, in: db)
    }
}
