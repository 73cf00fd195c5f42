internal import Foundation

/// Everything the automatic review sees about a new case. The gateway gathers it (the aftersales
/// service calls no other service) and it is stored in the decision, so a replay sees the same.
package struct ApplicationFacts: Codable, Sendable, Hashable {
    /// An order line the case is about.
    package struct Line: Codable, Sendable, Hashable {
        /// The order line's id.
        package var orderLineID: String
        /// The product category (`perishable`, `digital`, …) as orders records it.
        package var category: String
        /// Units the case is about.
        package var quantity: Int64
        /// Cases already opened on this line before this one (withdrawn and closed ones count).
        package var casesBefore: Int

        package init(orderLineID: String, category: String, quantity: Int64, casesBefore: Int) {
            self.orderLineID = orderLineID
            self.category = category
            self.quantity = quantity
            self.casesBefore = casesBefore
        }
    }

    /// Evidence attached to the application, counted by kind.
    package struct EvidenceCounts: Codable, Sendable, Hashable {
        package var photos: Int
        package var videos: Int
        package var texts: Int

        package init(photos: Int = 0, videos: Int = 0, texts: Int = 0) {
            self.photos = photos
            self.videos = videos
            self.texts = texts
        }
    }

    /// The buyer's totals over the last 90 days (orders' O, P and R).
    package struct BuyerTotals: Codable, Sendable, Hashable {
        package var orders: Int64
        package var paid: Amount
        package var refunded: Amount

        package init(orders: Int64, paid: Amount, refunded: Amount) {
            self.orders = orders
            self.paid = paid
            self.refunded = refunded
        }
    }

    /// The order's lifecycle status (orders: created → paid → shipped → delivered → completed).
    package enum OrderStatus: String, Codable, Sendable, CaseIterable, Hashable {
        case created, paid, shipped, delivered, completed, cancelled

        /// Whether the goods have not left the seller.
        package var isUnshipped: Bool { self == .created || self == .paid }
    }

    package var kind: CaseKind
    package var reason: CaseReason
    package var lines: [Line]
    /// The amount the buyer asks for.
    package var requested: Amount
    package var orderStatus: OrderStatus
    /// When the order was delivered, if it was.
    package var deliveredAtMicros: Int64?
    /// The delivery date the order promised.
    package var promisedDeliveryMicros: Int64?
    /// When the order completed (receipt confirmed, or completed by itself), if it did. Absent in
    /// decisions stored before it was gathered.
    package var completedAtMicros: Int64?
    /// What the buyer paid for the order.
    package var paid: Amount
    /// What can still be refunded: paid − refunded − reserved.
    package var refundable: Amount
    package var evidence: EvidenceCounts
    package var buyer: BuyerTotals
    /// The service clock when the application arrived.
    package var nowMicros: Int64

    package init(
        kind: CaseKind, reason: CaseReason, lines: [Line], requested: Amount, orderStatus: OrderStatus,
        deliveredAtMicros: Int64?, promisedDeliveryMicros: Int64?, paid: Amount, refundable: Amount,
        evidence: EvidenceCounts, buyer: BuyerTotals, nowMicros: Int64, completedAtMicros: Int64? = nil
    ) {
        self.kind = kind
        self.reason = reason
        self.lines = lines
        self.requested = requested
        self.orderStatus = orderStatus
        self.deliveredAtMicros = deliveredAtMicros
        self.promisedDeliveryMicros = promisedDeliveryMicros
        self.completedAtMicros = completedAtMicros
        self.paid = paid
        self.refundable = refundable
        self.evidence = evidence
        self.buyer = buyer
        self.nowMicros = nowMicros
    }
}

extension ApplicationFacts {
    /// The facts as JSON with sorted keys (what a decision stores).
    package func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
