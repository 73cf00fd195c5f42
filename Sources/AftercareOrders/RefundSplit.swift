/// How a committed refund is booked on an order's lines when the caller does not split it: in
/// proportion to the value of the units refunded on each line, each share at most that value and
/// the line's unrefunded value; the cents rounding leaves go to the earliest lines that can take
/// them; what the lines cannot take (shipping, a goodwill amount) stays on the order. Pure.
enum RefundSplit {
    /// One line's claim on the refund.
    struct Claim: Equatable, Sendable {
        /// The value of the units this refund covers on the line (refunded units × unit price).
        var valueMinor: Int64
        /// What the line has not yet had refunded (its value less its refunded amount).
        var unrefundedMinor: Int64

        /// The most the line can take: its claim, within what it has left.
        var capMinor: Int64 { max(0, min(self.valueMinor, self.unrefundedMinor)) }
    }

    /// The amount booked on each claim, in the claims' order; they sum to at most `amountMinor`.
    static func split(_ amountMinor: Int64, over claims: [Claim]) -> [Int64] {
        let caps = claims.map(\.capMinor)
        // Caps are each at most a line's value, which fits Int64; their sum may not: widen.
        let capTotal = caps.reduce(Int128(0)) { $0 + Int128($1) }
        guard capTotal > 0, amountMinor > 0 else { return caps.map { _ in 0 } }
        let booked = min(Int128(amountMinor), capTotal)
        var shares = caps.map { cap in Int64(booked * Int128(cap) / capTotal) }
        var left = booked - shares.reduce(Int128(0)) { $0 + Int128($1) }
        for index in shares.indices where left > 0 && shares[index] < caps[index] {
            let extra = min(left, Int128(caps[index] - shares[index]))
            shares[index] += Int64(extra)
            left -= extra
        }
        return shares
    }
}
