/// The three kinds of after-sales case (docs/machines.md); each has its own machine.
package enum CaseKind: String, Codable, Sendable, CaseIterable, Hashable {
    /// 仅退款: money back, the goods stay with the buyer (or never left).
    case refundOnly = "refund_only"
    /// 退货退款: the buyer ships the goods back, the seller inspects, then the refund.
    case returnAndRefund = "return_and_refund"
    /// 换货: one order line, the same product in another option at the same price.
    case exchange = "exchange"

    /// The heading the generated document uses.
    package var title: String {
        switch self {
        case .refundOnly: "Refund-only (仅退款)"
        case .returnAndRefund: "Return-and-refund (退货退款)"
        case .exchange: "Exchange (换货)"
        }
    }

    /// Whether the seller may answer with a counter-offer of an amount.
    var allowsAmountOffer: Bool { self != .exchange }
}
