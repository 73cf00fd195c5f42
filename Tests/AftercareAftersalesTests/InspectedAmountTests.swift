@testable import AftercareAftersales
import AftercareAftersalesAPI
import Testing

/// The refund an inspection gives, at the edges of what a request may carry.
@Suite("Inspected amount")
struct InspectedAmountTests {
    static func line(_ quantity: Int64, price: Int64, ok: Int64) -> CaseLineRecord {
        var line = CaseLineRecord(lineID: "line_1", sku: "sku_1", category: "apparel", quantity: quantity, unitPrice: Amount(price, "CNY"))
        line.inspect(receivedOK: ok, damaged: quantity - ok, wrongItem: 0, short: 0)
        return line
    }

    @Test("in proportion to the value received in order, rounded down")
    func proportion() {
        let lines = [Self.line(3, price: 1_000, ok: 1), Self.line(1, price: 7_000, ok: 1)]
        #expect(InspectedAmount.of(lines, approved: Amount(9_999, "CNY")) == Amount(7_999, "CNY"))
    }

    @Test("the largest amounts a request may carry do not overflow: half of everything is half the requested amount")
    func largest() {
        let lines = (0..<AftersalesLimits.lines).map { _ in
            Self.line(AftersalesRequestCheck.maxQuantity, price: .max, ok: AftersalesRequestCheck.maxQuantity / 2)
        }
        #expect(InspectedAmount.of(lines, approved: Amount(.max, "CNY")) == Amount(.max / 2, "CNY"))
    }
}
