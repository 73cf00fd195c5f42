import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire

extension OrdersService {
    func commitRefund(
        _ request: Aftercare_Orders_V1_CommitRefundRequest, _ context: ServerContext
    ) async throws -> Aftercare_Orders_V1_ReservationResponse {
        try RequestCheck.required(request.caseID, "case_id")
        try RequestCheck.money(request.refundedAmount, "refunded_amount")
        try Self.checkCommitLines(request.lines)
        try Self.checkLines(request.restock, field: "restock")
        return try await self.ledger.once(context, request: request) { db in
            try Self.refuseCompensation(context)
            var reservation = try self.openReservation(request.caseID, kind: .amount, in: db)
            try self.store.lockOrder(reservation.orderID, in: db)
            var order = try self.store.requireOrder(reservation.orderID, in: db)
            try RequestCheck.sameCurrency(request.refundedAmount.currency, order.total.currency, "refunded_amount.currency")
            guard request.refundedAmount.amountMinor <= reservation.amount.amountMinor else {
                throw RPCError.failedPrecondition(
                    "case \(request.caseID): reserved \(reservation.amount.formatted), refunded \(request.refundedAmount.formatted)")
            }
            let lines = try self.bookedLines(request, reservation: reservation, order: order)
            let now = self.clock.nowMicros
            order.refunded.amountMinor = try MoneyMath.add(order.refunded.amountMinor, request.refundedAmount.amountMinor, field: "refunded_amount")
            order.updatedAtUnixMicros = now
            try self.store.update(order, in: db)
            for line in lines { try self.store.update(line, now: now, in: db) }
            for (sku, quantity) in try Self.restockBySku(request, lines: lines) {
                try self.restockOnce(sku, quantity, caseID: request.caseID, reason: "refund return accepted", order: order, context, in: db)
            }
            reservation.status = .committed
            reservation.committedAmount = request.refundedAmount
            reservation.closedAtUnixMicros = now
            reservation.updatedAtUnixMicros = now
            return try self.saveAnnounced("committed", reservation, context, in: db)
        }
    }

    /// The request's lines with this commit's units and amounts booked, in the request's order;
    /// FAILED_PRECONDITION when a line would refund units other cases hold, return more than it
    /// can, or have more refunded than it cost.
    func bookedLines(
        _ request: Aftercare_Orders_V1_CommitRefundRequest, reservation: Aftercare_Orders_V1_Reservation, order: Aftercare_Orders_V1_Order
    ) throws -> [Aftercare_Orders_V1_OrderLine] {
        let currency = order.total.currency
        let heldHere = Dictionary(reservation.lines.map { ($0.lineID, $0.quantity) }, uniquingKeysWith: +)
        var lines: [Aftercare_Orders_V1_OrderLine] = []
        var claims: [RefundSplit.Claim] = []
        for (index, commit) in request.lines.enumerated() {
            let field = "lines[\(index)]"
            var line = try order.line(commit.lineID, field: "\(field).line_id")
            // Units this case holds are given back by the commit; other cases' stay held.
            let heldByOthers = line.reservedQuantity - heldHere[line.lineID, default: 0]
            line.refundedQuantity += commit.refundedQuantity
            line.returnedQuantity += commit.returnedQuantity
            guard line.refundedQuantity + heldByOthers <= line.quantity else {
                throw RPCError.failedPrecondition(
                    "line \(line.lineID): \(line.quantity) units, refunded \(line.refundedQuantity) with this commit and "
                        + "\(heldByOthers) reserved by other cases")
            }
            guard line.returnedQuantity <= line.quantity + line.exchangedQuantity else {
                throw RPCError.failedPrecondition(
                    "line \(line.lineID): \(line.quantity) units (\(line.exchangedQuantity) exchanged), returned "
                        + "\(line.returnedQuantity) with this commit")
            }
            let lineValue = try MoneyMath.multiply(line.quantity, line.unitPrice.amountMinor, field: field)
            claims.append(
                RefundSplit.Claim(
                    valueMinor: try MoneyMath.multiply(commit.refundedQuantity, line.unitPrice.amountMinor, field: field),
                    unrefundedMinor: lineValue - line.refunded.amountMinor))
            lines.append(line)
        }
        let amounts: [Int64]
        if request.lines.first?.hasRefunded == true {
            // The caller's split: every line gives its amount (checked by checkCommitLines).
            var sum: Int64 = 0
            for (index, commit) in request.lines.enumerated() {
                try RequestCheck.sameCurrency(commit.refunded.currency, currency, "lines[\(index)].refunded.currency")
                sum = try MoneyMath.add(sum, commit.refunded.amountMinor, field: "lines")
            }
            guard sum <= request.refundedAmount.amountMinor else {
                throw RPCError.invalidField(
                    "lines", "line amounts sum to \(MoneyMath.format(sum, currency)), more than refunded_amount "
                        + "\(request.refundedAmount.formatted)")
            }
            amounts = request.lines.map(\.refunded.amountMinor)
        } else {
            amounts = RefundSplit.split(request.refundedAmount.amountMinor, over: claims)
        }
        for index in lines.indices {
            let lineValue = claims[index].unrefundedMinor + lines[index].refunded.amountMinor
            lines[index].refunded.amountMinor += amounts[index]
            guard lines[index].refunded.amountMinor <= lineValue else {
                throw RPCError.failedPrecondition(
                    "line \(lines[index].lineID): costs \(MoneyMath.format(lineValue, currency)), refunded "
                        + "\(lines[index].refunded.formatted) with this commit")
            }
        }
        return lines
    }

    /// The units to restock per SKU, in the order first named: each restock at most the units this
    /// commit returns on its line.
    static func restockBySku(
        _ request: Aftercare_Orders_V1_CommitRefundRequest, lines: [Aftercare_Orders_V1_OrderLine]
    ) throws(RPCError) -> [(sku: String, quantity: Int64)] {
        var result: [(sku: String, quantity: Int64)] = []
        for (index, restock) in request.restock.enumerated() {
            guard let position = request.lines.firstIndex(where: { $0.lineID == restock.lineID }),
                restock.quantity <= request.lines[position].returnedQuantity
            else {
                let returned = request.lines.first(where: { $0.lineID == restock.lineID })?.returnedQuantity ?? 0
                throw RPCError.failedPrecondition(
                    "restock[\(index)]: line \(restock.lineID) returns \(returned) units with this commit, \(restock.quantity) to restock")
            }
            let sku = lines[position].sku
            if let existing = result.firstIndex(where: { $0.sku == sku }) {
                result[existing].quantity += restock.quantity
            } else {
                result.append((sku, restock.quantity))
            }
        }
        return result
    }

    /// The per-line part of a commit: each line once, quantities and amounts not negative, and an
    /// amount on every line or on none.
    static func checkCommitLines(_ lines: [Aftercare_Orders_V1_CommitRefundLine]) throws(RPCError) {
        guard lines.count <= Self.maxRequestLines else {
            throw RPCError.invalidField("lines", "at most \(Self.maxRequestLines) lines, got \(lines.count)")
        }
        let callerSplit = lines.first?.hasRefunded == true
        var seen = Set<String>()
        for (index, line) in lines.enumerated() {
            let field = "lines[\(index)]"
            try RequestCheck.required(line.lineID, "\(field).line_id")
            guard line.refundedQuantity >= 0 else { throw RPCError.invalidField("\(field).refunded_quantity", "must not be negative") }
            guard line.returnedQuantity >= 0 else { throw RPCError.invalidField("\(field).returned_quantity", "must not be negative") }
            guard line.refundedQuantity <= OrderDraft.maxQuantity, line.returnedQuantity <= OrderDraft.maxQuantity else {
                throw RPCError.invalidField(field, "quantities are at most \(OrderDraft.maxQuantity)")
            }
            guard line.hasRefunded == callerSplit else {
                throw RPCError.invalidField("\(field).refunded", "give refunded on every line or on none")
            }
            if line.hasRefunded { try RequestCheck.money(line.refunded, "\(field).refunded", allowZero: true) }
            guard seen.insert(line.lineID).inserted else {
                throw RPCError.invalidField("\(field).line_id", "line \(line.lineID) is given twice")
            }
        }
    }

    /// The stock movement of a case's restock of a SKU: one per case and SKU, whether CommitRefund,
    /// CommitExchange or Restock made it.
    static func restockMovementID(caseID: String, sku: String) -> String { "restock/\(caseID)/\(sku)" }
}
