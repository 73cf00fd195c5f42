import AftercareRPC
import AftercareServiceKit

/// Integer money arithmetic that reports overflow instead of wrapping.
enum MoneyMath {
    /// `a + b`, or INVALID_ARGUMENT naming `field` on overflow.
    static func add(_ a: Int64, _ b: Int64, field: String) throws(RPCError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw RPCError.invalidField(field, "amount overflows") }
        return sum
    }

    /// `quantity × unitPrice`, or INVALID_ARGUMENT naming `field` on overflow.
    static func multiply(_ quantity: Int64, _ unitPrice: Int64, field: String) throws(RPCError) -> Int64 {
        let (product, overflow) = quantity.multipliedReportingOverflow(by: unitPrice)
        guard !overflow else { throw RPCError.invalidField(field, "quantity × unit price overflows") }
        return product
    }

    /// "12.34 CNY".
    static func format(_ minor: Int64, _ currency: String) -> String {
        Aftercare_Common_V1_Money(minor, currency).formatted
    }
}
