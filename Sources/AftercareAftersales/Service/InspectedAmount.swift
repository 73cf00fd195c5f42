/// The refund an inspection gives: the amount the case was approved for (the requested amount, or
/// the platform's ruling) in proportion to the value of the units
/// received in order (`received_ok` × unit price) over the value of every unit asked for, rounded
/// down to the minor unit; by units when the lines carry no prices. Lines hold at most
/// ``AftersalesRequestCheck/maxQuantity`` units, so the sums fit an Int128.
enum InspectedAmount {
    static func of(_ lines: [CaseLineRecord], approved: Amount) -> Amount {
        var accepted: Int128 = 0
        var whole: Int128 = 0
        for line in lines {
            accepted += Int128(line.receivedOK) * Int128(line.unitPrice.minor)
            whole += Int128(line.quantity) * Int128(line.unitPrice.minor)
        }
        if whole == 0 {
            accepted = Int128(lines.reduce(0) { $0 + $1.receivedOK })
            whole = Int128(lines.reduce(0) { $0 + $1.quantity })
        }
        guard whole > 0 else { return Amount(0, approved.currency) }
        // accepted ≤ whole, so the share fits the approved amount; only the product needs the full width.
        let share = whole.dividingFullWidth(Int128(approved.minor).multipliedFullWidth(by: accepted)).quotient
        return Amount(Int64(share), approved.currency)
    }
}
