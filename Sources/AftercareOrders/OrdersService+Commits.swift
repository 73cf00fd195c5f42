import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire

extension OrdersService {
    func registerCommits(in router: inout RPCRouter) {
        router.unary(OrdersMethods.commitRefund) { request, context in try await self.commitRefund(request, context) }
        router.unary(OrdersMethods.commitExchange) { request, context in try await self.commitExchange(request, context) }
    }

    func commitExchange(
        _ request: Aftercare_Orders_V1_CommitExchangeRequest, _ context: ServerContext
    ) async throws -> Aftercare_Orders_V1_ReservationResponse {
        try RequestCheck.required(request.caseID, "case_id")
        return try await self.ledger.once(context, request: request) { db in
            try Self.refuseCompensation(context)
            var reservation = try self.openReservation(request.caseID, kind: .replacement, in: db)
            let now = self.clock.nowMicros
            let earlier = try self.store.replacedReservations(request.caseID, in: db)
            if earlier.contains(where: { $0.status == .committed && $0.kind == .replacement }) {
                // A second shipment of a lost replacement: the line and the returned units were
                // booked by the first commit; this one only takes the stock it reserved.
                reservation.status = .committed
                reservation.closedAtUnixMicros = now
                reservation.updatedAtUnixMicros = now
                return try self.saveAnnounced("committed", reservation, context, in: db)
            }
            try self.store.lockOrder(reservation.orderID, in: db)
            let order = try self.store.requireOrder(reservation.orderID, in: db)
            var line = try order.line(reservation.lineID, field: "case_id")
            let returnedSku = line.sku
            // The buyer sent the exchanged units back (the line's exchanged quantity counts them too,
            // from the committed reservation).
            line.returnedQuantity += reservation.quantity
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
                replacement.exchangedQuantity = 0
                replacement.refunded.amountMinor = 0
                replacement.exchangedFromLineID = line.lineID
                line.quantity -= reservation.quantity
                try self.store.update(line, now: now, in: db)
                try self.store.insert(
                    replacement, orderID: order.orderID, lineNumber: try self.store.lineCount(order.orderID, in: db) + 1, now: now, in: db)
            }
            if request.restockReturned {
                try self.restockOnce(returnedSku, reservation.quantity, caseID: request.caseID, reason: "exchange return accepted", order: order, context, in: db)
            }
            reservation.status = .committed
            reservation.closedAtUnixMicros = now
            reservation.updatedAtUnixMicros = now
            return try self.saveAnnounced("committed", reservation, context, in: db)
        }
    }

    /// The case's open reservation of `kind`, its row locked before it is read (one commit per
    /// reservation), or FAILED_PRECONDITION naming what it is instead.
    func openReservation(
        _ caseID: String, kind: Aftercare_Orders_V1_ReservationKind, in db: any SQLConnection
    ) throws -> Aftercare_Orders_V1_Reservation {
        try self.store.lockReservation(caseID, in: db)
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

    /// Adds a case's returned units to a SKU's stock and announces it, unless the case restocked
    /// that SKU already (one restock per case and SKU: ``restockMovementID(caseID:sku:)``).
    func restockOnce(
        _ sku: String, _ quantity: Int64, caseID: String, reason: String, order: Aftercare_Orders_V1_Order?, _ context: ServerContext,
        in db: any SQLConnection
    ) throws {
        let movementID = Self.restockMovementID(caseID: caseID, sku: sku)
        // A concurrent restock of the same case and SKU that got past this check fails on the
        // movement's primary key (PostgreSQL: or runs again, SERIALIZABLE, and finds it).
        guard try !self.store.hasMovement(movementID, in: db) else { return }
        try self.addStock(sku, quantity, caseID: caseID, movementID: movementID, reason: reason, order: order, context, in: db)
    }

    /// Adds `quantity` units to a SKU's stock and announces it; the SKU's row is locked before its
    /// stock is read, so concurrent additions never start from the same quantity.
    func addStock(
        _ sku: String, _ quantity: Int64, caseID: String, movementID: String? = nil, reason: String, order: Aftercare_Orders_V1_Order?,
        _ context: ServerContext, in db: any SQLConnection
    ) throws {
        let now = self.clock.nowMicros
        try self.store.lockStock(sku, in: db)
        let before = try self.store.stock(sku, in: db)
        let after = try self.store.setStock(
            sku, to: try MoneyMath.add(before.quantity, quantity, field: "quantity"),
            movementID: movementID ?? RecordID.make("stm", atMicros: now), caseID: caseID, reason: reason, now: now, in: db)
        try self.events.stock(after, caseID: caseID, order: order, context: context, in: db)
    }
}
