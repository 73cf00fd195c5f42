import AftercareOrdersAPI
import AftercareRPC

/// One currency's line of `aftercare totals`: paid, refunded, and refunded as a share of paid.
struct TotalsRow: Equatable {
    var currency: String
    var paid: Aftercare_Common_V1_Money
    var refunded: Aftercare_Common_V1_Money

    /// `12.5 %` to one decimal, rounded down, from the minor units; `-` when nothing was paid (or
    /// the share is beyond counting).
    var refundRate: String {
        guard self.paid.amountMinor > 0, self.refunded.amountMinor >= 0,
            self.refunded.amountMinor / self.paid.amountMinor < Int64.max / 1_000
        else { return "-" }
        let permille = self.paid.amountMinor.dividingFullWidth(self.refunded.amountMinor.multipliedFullWidth(by: 1_000)).quotient
        return "\(permille / 10).\(permille % 10) %"
    }

    /// A row per currency in either list, in currency order; a currency missing from one list is 0 there.
    static func rows(paid: [Aftercare_Common_V1_Money], refunded: [Aftercare_Common_V1_Money]) -> [TotalsRow] {
        let currencies = Set(paid.map(\.currency) + refunded.map(\.currency)).sorted()
        return currencies.map { currency in
            TotalsRow(
                currency: currency,
                paid: paid.first { $0.currency == currency } ?? Aftercare_Common_V1_Money(0, currency),
                refunded: refunded.first { $0.currency == currency } ?? Aftercare_Common_V1_Money(0, currency))
        }
    }
}
