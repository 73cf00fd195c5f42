public import AftercareRPC
import Foundation

/// Checks of request fields shared by every service; each throws ``RPCError/invalidField(_:_:)``.
public enum RequestCheck {
    /// The longest string field a request may carry, unless a field says otherwise.
    public static let maxStringLength = 256

    /// `value` is not empty and at most `maxLength` bytes.
    public static func required(_ value: String, _ field: String, maxLength: Int = maxStringLength) throws(RPCError) {
        guard !value.isEmpty else { throw RPCError.invalidField(field, "required") }
        try self.optional(value, field, maxLength: maxLength)
    }

    /// `value` is at most `maxLength` bytes.
    public static func optional(_ value: String, _ field: String, maxLength: Int = maxStringLength) throws(RPCError) {
        guard value.utf8.count <= maxLength else {
            throw RPCError.invalidField(field, "at most \(maxLength) bytes, got \(value.utf8.count)")
        }
    }

    /// A list call's `page_size`: 0 means `defaultSize`; more than `maximum` names the field.
    public static func pageSize(_ size: UInt32, default defaultSize: Int, maximum: Int, field: String = "page_size") throws(RPCError) -> Int {
        guard size <= maximum else { throw RPCError.invalidField(field, "at most \(maximum), got \(size)") }
        return size == 0 ? defaultSize : Int(size)
    }

    /// `value` > 0.
    public static func positive<Value: BinaryInteger>(_ value: Value, _ field: String) throws(RPCError) {
        guard value > 0 else { throw RPCError.invalidField(field, "must be positive, got \(value)") }
    }

    /// `money` has a currency of three upper-case letters and an amount that is positive
    /// (`allowZero`: or zero).
    public static func money(_ money: Aftercare_Common_V1_Money, _ field: String, allowZero: Bool = false) throws(RPCError) {
        try self.currency(money.currency, "\(field).currency")
        if allowZero {
            guard money.amountMinor >= 0 else {
                throw RPCError.invalidField("\(field).amount_minor", "must not be negative, got \(money.amountMinor)")
            }
        } else {
            try self.positive(money.amountMinor, "\(field).amount_minor")
        }
    }

    /// `code` is an ISO 4217 code: three upper-case ASCII letters that the standard lists (as
    /// Foundation's `Locale.Currency.isoCurrencies` has it), but for XTS (reserved for testing)
    /// and XXX (no currency).
    public static func currency(_ code: String, _ field: String) throws(RPCError) {
        guard code.utf8.count == 3, code.utf8.allSatisfy({ (65...90).contains($0) }) else {
            throw RPCError.invalidField(field, "must be an ISO 4217 code such as CNY, got \"\(code.prefix(16))\"")
        }
        guard Self.isoCurrencies.contains(code) else {
            throw RPCError.invalidField(field, "\"\(code)\" is not an ISO 4217 currency code")
        }
    }

    /// The ISO 4217 codes a payment may be in.
    static let isoCurrencies: Set<String> = Set(Locale.Currency.isoCurrencies.map(\.identifier)).subtracting(["XTS", "XXX"])

    /// `currency` equals `expected`: arithmetic never mixes currencies.
    public static func sameCurrency(_ currency: String, _ expected: String, _ field: String) throws(RPCError) {
        guard currency == expected else {
            throw RPCError.invalidField(field, "currency \(currency) differs from \(expected)")
        }
    }
}
