import Foundation

/// An order to place, in plain Swift: ``AftercareClient/placeOrder(_:options:)`` turns it into a
/// `CreateOrderRequest`.
public struct NewOrder: Sendable, Hashable {
    /// Empty: the client's buyer party fills it.
    public var buyerID: String
    public var sellerID: String
    /// ISO 4217, e.g. `CNY`; every amount of the order is in it.
    public var currency: String
    public var lines: [Line]
    /// In minor units of ``currency`` (fen for CNY).
    public var shippingFeeMinor: Int64
    /// When the seller promises delivery, in microseconds since the Unix epoch.
    public var promisedDeliveryUnixMicros: Int64

    /// One item of the order.
    public struct Line: Sendable, Hashable {
        public var sku: String
        public var title: String
        public var category: String
        public var quantity: Int64
        /// In minor units of the order's currency.
        public var unitPriceMinor: Int64

        public init(sku: String, title: String, category: String = "general", quantity: Int64, unitPriceMinor: Int64) {
            self.sku = sku
            self.title = title
            self.category = category
            self.quantity = quantity
            self.unitPriceMinor = unitPriceMinor
        }
    }

    /// - Parameters:
    ///   - buyerID: empty: the client's buyer party.
    ///   - sellerID: the seller.
    ///   - currency: ISO 4217, e.g. `CNY`.
    ///   - lines: 1 to 100 items.
    ///   - shippingFeeMinor: in minor units; zero or more.
    ///   - promisedDeliveryUnixMicros: default: seven days from now.
    public init(
        buyerID: String = "", sellerID: String, currency: String, lines: [Line], shippingFeeMinor: Int64 = 0,
        promisedDeliveryUnixMicros: Int64? = nil
    ) {
        self.buyerID = buyerID
        self.sellerID = sellerID
        self.currency = currency
        self.lines = lines
        self.shippingFeeMinor = shippingFeeMinor
        self.promisedDeliveryUnixMicros = promisedDeliveryUnixMicros ?? Int64(Date().timeIntervalSince1970) * 1_000_000 + 7 * 86_400 * 1_000_000
    }
}
