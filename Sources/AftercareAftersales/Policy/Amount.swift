package import AftercareRPC

/// An amount of money in minor units of a currency (never floating point), Codable for stored
/// decisions; converts to and from the wire's `Aftercare_Common_V1_Money`.
package struct Amount: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Minor units (fen for CNY).
    package var minor: Int64
    /// ISO 4217 code.
    package var currency: String

    package init(_ minor: Int64, _ currency: String) {
        self.minor = minor
        self.currency = currency
    }

    /// The wire message's amount.
    package init(_ money: Aftercare_Common_V1_Money) {
        self.init(money.amountMinor, money.currency)
    }

    /// The wire message.
    package var message: Aftercare_Common_V1_Money {
        var money = Aftercare_Common_V1_Money()
        money.amountMinor = self.minor
        money.currency = self.currency
        return money
    }

    /// `"123.45 CNY"`.
    package var description: String { self.message.formatted }
}
