internal import Foundation

/// Everything the automatic review sees about a new case. The gateway gathers it (the aftersales
/// service calls no other service) and it is stored in the decision, so a replay sees the same.
public struct ApplicationFacts: Codable, Sendable, Hashable {
    /// An order line the case is about.
    public struct Line: Codable, Sendable, Hashable {
        /// The order line's id.
        public var orderLineID: String
        /// The product category (`perishable`, `digital`, …) as orders records it.
        public var category: String
        /// Units the case is about.
        public var quantity: Int64
        /// Cases already opened on this line before this one (withdrawn and closed ones count).
        public var casesBefore: Int

        public init(orderLineID: String, category: String, quantity: Int64, casesBefore: Int) {
            self.orderLineID = orderLineID
            self.category = category
            self.quantity = quantity
            self.casesBefore = casesBefore
        }
    }

    /// Evidence attached to the application, counted by kind.
    public struct EvidenceCounts: Codable, Sendable, Hashable {
        public var photos: Int
        public var videos: Int
        public var texts: Int

        public init(photos: Int = 0, videos: Int = 0, texts: Int = 0) {
            self.photos = photos
            self.videos = videos
            self.texts = texts
        }
    }

    /// The buyer's totals over the last 90 days (orders' O, P and R).
    public struct BuyerTotals: Codable, Sendable, Hashable {
        public var orders: Int64
        public var paid: Amount
        public var refunded: Amount

        public init(orders: Int64, paid: Amount, refunded: Amount) {
            self.orders = orders
            self.paid = paid
            self.refunded = refunded
        }
    }

    /// The order's lifecycle status (orders: created → paid → shipped → delivered → completed).
    public enum OrderStatus: String, Codable, Sendable, CaseIterable, Hashable {
        case created, paid, shipped, delivered, completed, cancelled

        /// Whether the goods have not left the seller.
        public var isUnshipped: Bool { self == .created || self == .paid }
    }

    public var kind: CaseKind
    public var reason: CaseReason
    public var lines: [Line]
    /// The amount the buyer asks for.
    public var requested: Amount
    public var orderStatus: OrderStatus
    /// When the order was delivered, if it was.
    public var deliveredAtMicros: Int64?
    /// The delivery date the order promised.
    public var promisedDeliveryMicros: Int64?
    /// When the order completed (receipt confirmed, or completed by itself), if it did. Absent in
    /// decisions stored before it was gathered.
    public var completedAtMicros: Int64?
    /// What the buyer paid for the order.
    public var paid: Amount
    /// What can still be refunded: paid − refunded − reserved.
    public var refundable: Amount
    public var evidence: EvidenceCounts
    public var buyer: BuyerTotals
    /// The service clock when the application arrived.
    public var nowMicros: Int64

    public init(
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
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
