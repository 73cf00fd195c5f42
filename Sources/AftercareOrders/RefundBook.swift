import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit

/// An order's refund bookkeeping: refundable = paid − refunded − reserved, never negative. Pure.
struct RefundBook: Sendable, Equatable {
    var currency: String
    var paidMinor: Int64
    var refundedMinor: Int64
    var reservedMinor: Int64

    /// What can still be reserved; 0 when the books are exhausted.
    var refundableMinor: Int64 {
        let (afterRefunds, overflow1) = self.paidMinor.subtractingReportingOverflow(self.refundedMinor)
        let (left, overflow2) = afterRefunds.subtractingReportingOverflow(self.reservedMinor)
        guard !overflow1, !overflow2 else { return 0 }
        return max(0, left)
    }

    /// Refuses a reservation of `requestedMinor` beyond the refundable amount, naming both figures.
    func checkReservation(_ requestedMinor: Int64, orderID: String) throws(RPCError) {
        guard requestedMinor <= self.refundableMinor else {
            throw RPCError.failedPrecondition(
                "order \(orderID): refundable \(MoneyMath.format(self.refundableMinor, self.currency)), "
                    + "requested \(MoneyMath.format(requestedMinor, self.currency))")
        }
    }

    /// The book with `reservationMinor` given back (for re-sizing a reservation).
    func without(reservation reservationMinor: Int64) -> RefundBook {
        var book = self
        book.reservedMinor -= reservationMinor
        return book
    }
}

/// An order line's units: available = quantity − refunded − reserved. Pure.
struct LineUnits: Sendable, Equatable {
    var quantity: Int64
    var refunded: Int64
    var reserved: Int64

    var available: Int64 { max(0, self.quantity - self.refunded - self.reserved) }

    /// Refuses a reservation of more units than are available, naming the figures.
    func checkReservation(_ requested: Int64, lineID: String) throws(RPCError) {
        guard requested <= self.available else {
            throw RPCError.failedPrecondition(
                "line \(lineID): available \(self.available) of \(self.quantity) "
                    + "(refunded \(self.refunded), reserved \(self.reserved)), requested \(requested)")
        }
    }
}

extension Aftercare_Orders_V1_Order {
    /// The order's refund bookkeeping.
    var refundBook: RefundBook {
        RefundBook(
            currency: self.total.currency, paidMinor: self.paid.amountMinor, refundedMinor: self.refunded.amountMinor,
            reservedMinor: self.reserved.amountMinor)
    }

    /// The line `lineID`, or NOT_FOUND naming `field`.
    func line(_ lineID: String, field: String) throws(RPCError) -> Aftercare_Orders_V1_OrderLine {
        guard let line = self.lines.first(where: { $0.lineID == lineID }) else {
            throw RPCError.notFound(field, kind: "line on order \(self.orderID)", id: lineID)
        }
        return line
    }
}

extension Aftercare_Orders_V1_OrderLine {
    var units: LineUnits { LineUnits(quantity: self.quantity, refunded: self.refundedQuantity, reserved: self.reservedQuantity) }
}
