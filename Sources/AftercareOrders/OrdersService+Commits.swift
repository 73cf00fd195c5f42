import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import GRDB

extension OrdersService {
    func registerCommits(in router: inout RPCRouter) {
        router.unary(OrdersMethods.commitRefund) { request, context in try await self.commitRefund(request, context) }
        router.unary(OrdersMethods.commitExchange) { request, context in try await self.commitExchange(request, context) }
    }

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
            var order = try self.store.requireOrder(reservation.orderID, in: db)
            let currency = order.total.currency
            try RequestCheck.sameCurrency(request.refundedAmount.currency, currency, "refunded_amount.currency")
            guard request.refundedAmount.amountMinor <= reservation.amount.amountMinor else {
                throw RPCError.failedPrecondition(
                    "case \(request.caseID): reserved \(reservation.amount.formatted), refunded \(request.refundedAmount.formatted)")
            }
            let now = self.clock.nowMicros
            var linesTotal: Int64 = 0
            var changedLines: [String: Aftercare_Orders_V1_OrderLine] = [:]
            for (index, commit) in request.lines.enumerated() {
                let field = "lines[\(index)]"
                var line = try order.line(commit.lineID, field: "\(field).line_id")
                line.refundedQuantity += commit.refundedQuantity
                line.returnedQuantity += commit.returnedQuantity
                guard line.refundedQuantity <= line.quantity, line.returnedQuantity <= line.quantity else {
                    throw RPCError.failedPrecondition(
                        "line \(line.lineID): \(line.quantity) units, refunded \(line.refundedQuantity) and returned "
                            + "\(line.returnedQuantity) with this commit")
                }
                if commit.hasRefunded {
                    try RequestCheck.sameCurrency(commit.refunded.currency, currency, "\(field).refunded.currency")
                    let lineTotal = try MoneyMath.multiply(line.quantity, line.unitPrice.amountMinor, field: field)
                    line.refunded.amountMinor = try MoneyMath.add(line.refunded.amountMinor, commit.refunded.amountMinor, field: field)
                    guard line.refunded.amountMinor <= lineTotal else {
                        throw RPCError.failedPrecondition(
                            "line \(line.lineID): costs \(MoneyMath.format(lineTotal, currency)), refunded "
                                + "\(line.refunded.formatted) with this commit")
                    }
                    linesTotal = try MoneyMath.add(linesTotal, commit.refunded.amountMinor, field: "lines")
                }
                changedLines[line.lineID] = line
            }
            guard linesTotal <= request.refundedAmount.amountMinor else {
                throw RPCError.invalidField(
                    "lines", "line amounts sum to \(MoneyMath.format(linesTotal, currency)), more than refunded_amount "
                        + "\(request.refundedAmount.formatted)")
            }
            for (index, restock) in request.restock.enumerated() {
                let line = try changedLines[restock.lineID] ?? order.line(restock.lineID, field: "restock[\(index)].line_id")
                guard restock.quantity <= line.returnedQuantity else {
                    throw RPCError.failedPrecondition(
                        "line \(line.lineID): \(line.returnedQuantity) units returned, \(restock.quantity) to restock")
                }
            }
            order.refunded.amountMinor = try MoneyMath.add(order.refunded.amountMinor, request.refundedAmount.amountMinor, field: "refunded_amount")
            order.updatedAtUnixMicros = now
            try self.store.update(order, in: db)
            for line in changedLines.values { try self.store.update(line, now: now, in: db) }
            for restock in request.restock {
                let sku = try changedLines[restock.lineID]?.sku ?? order.line(restock.lineID, field: "restock").sku
                try self.addStock(sku, restock.quantity, caseID: request.caseID, reason: "refund return accepted", order: order, context, in: db)
            }
            reservation.status = .committed
            reservation.committedAmount = request.refundedAmount
            reservation.closedAtUnixMicros = now
            reservation.updatedAtUnixMicros = now
            return try self.saveAnnounced("committed", reservation, context, in: db)
        }
    }

    func commitExchange(
        _ request: Aftercare_Orders_V1_CommitExchangeRequest, _ context: ServerContext
    ) async throws -> Aftercare_Orders_V1_ReservationResponse {
        try RequestCheck.required(request.caseID, "case_id")
        return try await self.ledger.once(context, request: request) { db in
            try Self.refuseCompensation(context)
            var reservation = try self.openReservation(request.caseID, kind: .replacement, in: db)
            let order = try self.store.requireOrder(reservation.orderID, in: db)
            var line = try order.line(reservation.lineID, field: "case_id")
            let returnedSku = line.sku
            let now = self.clock.nowMicros
            if reservation.quantity >= line.quantity {
                // The whole line is exchanged: it becomes the replacement.
                line.sku = reservation.replacementSku
                line.option = reservation.replacementOption
                try self.store.update(line, now: now, in: db)
            } else {
                // Part of the line: the exchanged units become a line of their own.
                var replacement = line
                replacement.lineID = RecordID.make("oln", atMicros: now)
                replacement.sku = reservation.replacementSku
                replacement.option = reservation.replacementOption
                replacement.quantity = reservation.quantity
                replacement.refundedQuantity = 0
                replacement.returnedQuantity = 0
                replacement.refunded.amountMinor = 0
                replacement.exchangedFromLineID = line.lineID
                line.quantity -= reservation.quantity
                try self.store.update(line, now: now, in: db)
                try self.store.insert(
                    replacement, orderID: order.orderID, lineNumber: try self.store.lineCount(order.orderID, in: db) + 1, now: now, in: db)
            }
            if request.restockReturned {
                try self.addStock(
                    returnedSku, reservation.quantity, caseID: request.caseID, reason: "exchange return accepted", order: order, context,
                    in: db)
            }
            reservation.status = .committed
            reservation.closedAtUnixMicros = now
            reservation.updatedAtUnixMicros = now
            return try self.saveAnnounced("committed", reservation, context, in: db)
        }
    }

    /// The case's open reservation of `kind`, or FAILED_PRECONDITION naming what it is instead.
    func openReservation(
        _ caseID: String, kind: Aftercare_Orders_V1_ReservationKind, in db: Database
    ) throws -> Aftercare_Orders_V1_Reservation {
        let reservation = try self.store.requireReservation(caseID, in: db)
        guard reservation.status == .open else {
            throw RPCError.failedPrecondition("reservation of case \(caseID) is \(reservation.status.name); only an open one can be committed")
        }
        guard reservation.kind == kind else {
            throw RPCError.failedPrecondition(
                "reservation of case \(caseID) holds \(reservation.kind == .amount ? "an amount" : "replacement stock"); "
                    + (kind == .amount ? "commit it with CommitExchange" : "commit it with CommitRefund"))
        }
        return reservation
    }

    /// Adds `quantity` units to a SKU's stock and announces it.
    func addStock(
        _ sku: String, _ quantity: Int64, caseID: String, movementID: String? = nil, reason: String, order: Aftercare_Orders_V1_Order?,
        _ context: ServerContext, in db: Database
    ) throws {
        let now = self.clock.nowMicros
        let before = try self.store.stock(sku, in: db)
        let after = try self.store.setStock(
            sku, to: try MoneyMath.add(before.quantity, quantity, field: "quantity"),
            movementID: movementID ?? RecordID.make("stm", atMicros: now), caseID: caseID, reason: reason, now: now, in: db)
        try self.events.stock(after, caseID: caseID, order: order, context: context, in: db)
    }

    /// The per-line part of a commit: each line once, quantities and amounts not negative.
    static func checkCommitLines(_ lines: [Aftercare_Orders_V1_CommitRefundLine]) throws(RPCError) {
        guard lines.count <= Self.maxRequestLines else {
            throw RPCError.invalidField("lines", "at most \(Self.maxRequestLines) lines, got \(lines.count)")
        }
        var seen = Set<String>()
        for (index, line) in lines.enumerated() {
            let field = "lines[\(index)]"
            try RequestCheck.required(line.lineID, "\(field).line_id")
            guard line.refundedQuantity >= 0 else { throw RPCError.invalidField("\(field).refunded_quantity", "must not be negative") }
            guard line.returnedQuantity >= 0 else { throw RPCError.invalidField("\(field).returned_quantity", "must not be negative") }
            guard line.refundedQuantity <= OrderDraft.maxQuantity, line.returnedQuantity <= OrderDraft.maxQuantity else {
                throw RPCError.invalidField(field, "quantities are at most \(OrderDraft.maxQuantity)")
            }
            if line.hasRefunded { try RequestCheck.money(line.refunded, "\(field).refunded", allowZero: true) }
            guard seen.insert(line.lineID).inserted else {
                throw RPCError.invalidField("\(field).line_id", "line \(line.lineID) is given twice")
            }
        }
    }
}
