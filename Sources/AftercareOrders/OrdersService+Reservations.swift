import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Logging
import SwiftProtobuf

extension OrdersService {
    func registerReservations(in router: inout RPCRouter) {
        router.unary(OrdersMethods.reserveRefund) { request, context in try await self.reserveRefund(request, context) }
        router.unary(OrdersMethods.adjustReservation) { request, context in try await self.adjustReservation(request, context) }
        router.unary(OrdersMethods.reserveReplacement) { request, context in try await self.reserveReplacement(request, context) }
        router.unary(OrdersMethods.releaseReservation) { request, context in
            try RequestCheck.required(request.caseID, "case_id")
            // Releasing is idempotent by itself: a released reservation is answered unchanged.
            return try await self.ledger.once(context, request: request, withoutKey: .naturalKey) { db in
                try self.store.lockReservation(request.caseID, in: db)
                let reservation = try self.store.requireReservation(request.caseID, in: db)
                switch reservation.status {
                case .open where context.saga?.direction != .compensate:
                    return try self.release(reservation, context, in: db)
                case .committed where context.saga?.direction != .compensate:
                    throw RPCError.failedPrecondition("reservation of case \(request.caseID) is committed; it cannot be released")
                default:
                    return Aftercare_Orders_V1_ReservationResponse(reservation, try self.store.requireOrder(reservation.orderID, in: db))
                }
            }
        }
    }

    func reserveRefund(
        _ request: Aftercare_Orders_V1_ReserveRefundRequest, _ context: ServerContext
    ) async throws -> Aftercare_Orders_V1_ReservationResponse {
        try RequestCheck.required(request.caseID, "case_id")
        try RequestCheck.required(request.orderID, "order_id")
        try RequestCheck.money(request.amount, "amount")
        try Self.checkLines(request.lines, field: "lines")
        return try await self.ledger.once(context, request: request) { db in
            if let saga = context.saga, saga.direction == .compensate {
                // The ledger runs a compensation only after a forward call that ran: its stored
                // answer says whether it reserved (release) or adjusted the held amount (restore).
                // A step a gateway before reserve-or-adjust ran as AdjustReservation adjusted too.
                let forward = try self.ledger.steps.record(saga.sagaID, saga.step, .forward, in: db)
                let answered = try forward?.response.map { try Aftercare_Orders_V1_ReservationResponse(serializedBytes: $0) }
                guard let forward, let answered, answered.adjusted || forward.method == OrdersMethods.adjustReservation.fullName else {
                    return try self.releaseForCompensation(request.caseID, context, in: db)
                }
                return try self.restore(request.caseID, adjustedTo: answered.reservation.amount, context, in: db)
            }
            // The case's reservation, then the order, locked before they are read (see OrdersStore.lockOrder).
            try self.store.lockReservation(request.caseID, in: db)
            try self.store.lockOrder(request.orderID, in: db)
            let order = try self.store.requireOrder(request.orderID, in: db)
            try Self.requirePaid(order)
            try RequestCheck.sameCurrency(request.amount.currency, order.total.currency, "amount.currency")
            if request.adjustHeld, let held = try self.store.reservation(request.caseID, in: db), held.status == .open,
                held.kind == .amount, held.orderID == order.orderID
            {
                var response = try self.adjust(held, to: request.amount, order: order, context, in: db)
                response.adjusted = true
                return response
            }
            try self.makeRoomForReservation(request.caseID, in: db)
            try order.refundBook.checkReservation(request.amount.amountMinor, orderID: order.orderID)
            for (index, line) in request.lines.enumerated() {
                try order.line(line.lineID, field: "lines[\(index)].line_id").units.checkReservation(line.quantity, lineID: line.lineID)
            }
            var reservation = self.newReservation(request.caseID, order: order, kind: .amount, context)
            reservation.amount = request.amount
            reservation.lines = request.lines
            return try self.saveAnnounced("reserved", reservation, context, in: db)
        }
    }

    func adjustReservation(
        _ request: Aftercare_Orders_V1_AdjustReservationRequest, _ context: ServerContext
    ) async throws -> Aftercare_Orders_V1_ReservationResponse {
        try RequestCheck.required(request.caseID, "case_id")
        try RequestCheck.money(request.amount, "amount")
        return try await self.ledger.once(context, request: request) { db in
            let (reservation, order) = try self.lockedReservation(request.caseID, in: db)
            let compensating = context.saga?.direction == .compensate
            switch reservation.status {
            case .open:
                break
            case .released where compensating:
                // Released since: there is nothing left to restore.
                return Aftercare_Orders_V1_ReservationResponse(reservation, order)
            default:
                throw RPCError.failedPrecondition(
                    "reservation of case \(request.caseID) is \(reservation.status.name); only an open reservation can be adjusted")
            }
            guard reservation.kind == .amount else {
                throw RPCError.failedPrecondition("reservation of case \(request.caseID) holds replacement stock, not an amount")
            }
            try RequestCheck.sameCurrency(request.amount.currency, order.total.currency, "amount.currency")
            if compensating {
                return try self.restore(reservation, adjustedTo: request.amount, order: order, context, in: db)
            }
            return try self.adjust(reservation, to: request.amount, order: order, context, in: db)
        }
    }

    /// Sets an open amount reservation to `amount` (at most what is refundable with it given back),
    /// keeping the amount it replaces for the compensation to restore.
    func adjust(
        _ reservation: Aftercare_Orders_V1_Reservation, to amount: Aftercare_Common_V1_Money, order: Aftercare_Orders_V1_Order,
        _ context: ServerContext, in db: any SQLConnection
    ) throws -> Aftercare_Orders_V1_ReservationResponse {
        var reservation = reservation
        try order.refundBook.without(reservation: reservation.amount.amountMinor).checkReservation(amount.amountMinor, orderID: order.orderID)
        reservation.previousAmount = reservation.amount
        reservation.amount = amount
        reservation.updatedAtUnixMicros = self.clock.nowMicros
        return try self.saveAnnounced("adjusted", reservation, context, in: db)
    }

    /// The compensation of an adjustment to `amount`: the case's reservation gets back the amount
    /// it replaced, unless another adjustment came since (FAILED_PRECONDITION); a reservation
    /// released since has nothing left to restore and is answered as it is.
    func restore(
        _ caseID: String, adjustedTo amount: Aftercare_Common_V1_Money, _ context: ServerContext, in db: any SQLConnection
    ) throws -> Aftercare_Orders_V1_ReservationResponse {
        let (reservation, order) = try self.lockedReservation(caseID, in: db)
        switch reservation.status {
        case .open:
            return try self.restore(reservation, adjustedTo: amount, order: order, context, in: db)
        case .released:
            return Aftercare_Orders_V1_ReservationResponse(reservation, order)
        default:
            throw RPCError.failedPrecondition(
                "reservation of case \(caseID) is \(reservation.status.name); only an open reservation can be restored")
        }
    }

    /// Restores an open amount reservation that an adjustment set to `amount`.
    private func restore(
        _ reservation: Aftercare_Orders_V1_Reservation, adjustedTo amount: Aftercare_Common_V1_Money, order: Aftercare_Orders_V1_Order,
        _ context: ServerContext, in db: any SQLConnection
    ) throws -> Aftercare_Orders_V1_ReservationResponse {
        var reservation = reservation
        guard reservation.hasPreviousAmount, reservation.amount.amountMinor == amount.amountMinor else {
            throw RPCError.failedPrecondition(
                "reservation of case \(reservation.caseID) holds \(reservation.amount.formatted), not the "
                    + "\(amount.formatted) this adjustment set; it cannot be restored")
        }
        try order.refundBook.without(reservation: reservation.amount.amountMinor)
            .checkReservation(reservation.previousAmount.amountMinor, orderID: order.orderID)
        reservation.amount = reservation.previousAmount
        reservation.clearPreviousAmount()
        reservation.updatedAtUnixMicros = self.clock.nowMicros
        return try self.saveAnnounced("restored", reservation, context, in: db)
    }

    func reserveReplacement(
        _ request: Aftercare_Orders_V1_ReserveReplacementRequest, _ context: ServerContext
    ) async throws -> Aftercare_Orders_V1_ReservationResponse {
        try RequestCheck.required(request.caseID, "case_id")
        try RequestCheck.required(request.orderID, "order_id")
        try RequestCheck.required(request.lineID, "line_id")
        try RequestCheck.required(request.replacementSku, "replacement_sku")
        try RequestCheck.optional(request.replacementOption, "replacement_option")
        try RequestCheck.positive(request.quantity, "quantity")
        return try await self.ledger.once(context, request: request) { db in
            if context.saga?.direction == .compensate {
                return try self.releaseForCompensation(request.caseID, context, in: db)
            }
            // The case's reservation, the order, then the replacement's stock, locked before they are read.
            try self.store.lockReservation(request.caseID, in: db)
            try self.store.lockOrder(request.orderID, in: db)
            try self.store.lockStock(request.replacementSku, in: db)
            let order = try self.store.requireOrder(request.orderID, in: db)
            try Self.requirePaid(order)
            let line = try order.line(request.lineID, field: "line_id")
            if let held = try self.store.reservation(request.caseID, in: db), held.status == .open, held.kind == .replacement,
                held.lineID == line.lineID, held.replacementSku == request.replacementSku, held.quantity == request.quantity,
                let sagaID = context.saga?.sagaID, held.sagaID != sagaID
            {
                // The case holds this very replacement already (its Return setup reserved it): the
                // calling saga takes it over, so that its compensation releases it.
                var adopted = held
                adopted.sagaID = sagaID
                adopted.updatedAtUnixMicros = self.clock.nowMicros
                return try self.saveAnnounced("adopted", adopted, context, in: db)
            }
            // A replacement lost on its way: the exchange is booked, only the stock is sent again.
            let reshipment = try self.isReshipment(request.caseID, in: db)
            try self.makeRoomForReservation(request.caseID, replacingCommittedExchange: reshipment, in: db)
            if !reshipment { try line.units.checkReservation(request.quantity, lineID: line.lineID) }
            let stock = try self.store.stock(request.replacementSku, in: db)
            guard stock.quantity >= request.quantity else {
                throw RPCError.failedPrecondition(
                    "stock of \(request.replacementSku): \(stock.quantity) available, requested \(request.quantity)")
            }
            let now = self.clock.nowMicros
            let taken = try self.store.setStock(
                request.replacementSku, to: stock.quantity - request.quantity, movementID: RecordID.make("stm", atMicros: now),
                caseID: request.caseID, reason: "replacement reserved", now: now, in: db)
            try self.events.stock(taken, caseID: request.caseID, order: order, context: context, in: db)
            var reservation = self.newReservation(request.caseID, order: order, kind: .replacement, context)
            reservation.amount = Aftercare_Common_V1_Money(0, order.total.currency)
            reservation.lineID = line.lineID
            reservation.replacementSku = request.replacementSku
            reservation.replacementOption = request.replacementOption
            reservation.quantity = request.quantity
            reservation.lines = [.with { $0.lineID = line.lineID; $0.quantity = request.quantity }]
            return try self.saveAnnounced("reserved", reservation, context, in: db)
        }
    }

    // MARK: - Shared steps

    /// Releases an open reservation: its amount becomes refundable again, its stock returns.
    func release(
        _ reservation: Aftercare_Orders_V1_Reservation, _ context: ServerContext, in db: any SQLConnection
    ) throws -> Aftercare_Orders_V1_ReservationResponse {
        var reservation = reservation
        let now = self.clock.nowMicros
        if reservation.kind == .replacement {
            let order = try self.store.requireOrder(reservation.orderID, in: db)
            try self.store.lockStock(reservation.replacementSku, in: db)
            let stock = try self.store.stock(reservation.replacementSku, in: db)
            let returned = try self.store.setStock(
                reservation.replacementSku, to: try MoneyMath.add(stock.quantity, reservation.quantity, field: "quantity"),
                movementID: RecordID.make("stm", atMicros: now), caseID: reservation.caseID, reason: "replacement released", now: now,
                in: db)
            try self.events.stock(returned, caseID: reservation.caseID, order: order, context: context, in: db)
        }
        reservation.status = .released
        reservation.closedAtUnixMicros = now
        reservation.updatedAtUnixMicros = now
        return try self.saveAnnounced("released", reservation, context, in: db)
    }

    /// The compensation of a reserve step whose forward call ran: release what it reserved, unless
    /// it was released since (or replaced by another saga's reservation): then nothing is left.
    func releaseForCompensation(
        _ caseID: String, _ context: ServerContext, in db: any SQLConnection
    ) throws -> Aftercare_Orders_V1_ReservationResponse {
        try self.store.lockReservation(caseID, in: db)
        let reservation = try self.store.requireReservation(caseID, in: db)
        switch reservation.status {
        case .open where reservation.sagaID == context.saga?.sagaID:
            return try self.release(reservation, context, in: db)
        case .committed where reservation.sagaID == context.saga?.sagaID:
            throw RPCError.failedPrecondition("reservation of case \(caseID) is committed; it cannot be released")
        default:
            return Aftercare_Orders_V1_ReservationResponse(reservation, try self.store.requireOrder(reservation.orderID, in: db))
        }
    }

    /// The case's reservation and its order, each locked before it is read (the reservation first,
    /// then the order, as every transaction of orders takes them), or NOT_FOUND.
    func lockedReservation(
        _ caseID: String, in db: any SQLConnection
    ) throws -> (Aftercare_Orders_V1_Reservation, Aftercare_Orders_V1_Order) {
        try self.store.lockReservation(caseID, in: db)
        let reservation = try self.store.requireReservation(caseID, in: db)
        try self.store.lockOrder(reservation.orderID, in: db)
        return (reservation, try self.store.requireOrder(reservation.orderID, in: db))
    }

    /// A new open reservation of `kind` for the case, made by the call's saga.
    func newReservation(
        _ caseID: String, order: Aftercare_Orders_V1_Order, kind: Aftercare_Orders_V1_ReservationKind, _ context: ServerContext
    ) -> Aftercare_Orders_V1_Reservation {
        let now = self.clock.nowMicros
        var reservation = Aftercare_Orders_V1_Reservation()
        reservation.caseID = caseID
        reservation.orderID = order.orderID
        reservation.kind = kind
        reservation.status = .open
        reservation.sagaID = context.saga?.sagaID ?? ""
        reservation.createdAtUnixMicros = now
        reservation.updatedAtUnixMicros = now
        return reservation
    }

    /// Stores the reservation, announces `orders.reservation.<what>` (and logs it once committed),
    /// answers it with its order.
    func saveAnnounced(
        _ what: String, _ reservation: Aftercare_Orders_V1_Reservation, _ context: ServerContext, in db: any SQLConnection
    ) throws -> Aftercare_Orders_V1_ReservationResponse {
        try self.store.save(reservation, in: db)
        let stored = try self.store.requireReservation(reservation.caseID, in: db)
        let order = try self.store.requireOrder(reservation.orderID, in: db)
        try self.events.reservation(what, stored, order: order, context: context, in: db)
        // Logged once committed: on PostgreSQL the transaction may run more than once.
        db.logCommitted(
            context.logger, "reservation \(what)",
            metadata: ["case.id": "\(stored.caseID)", "order.id": "\(order.orderID)", "reservation.kind": "\(stored.kind.name)"])
        return Aftercare_Orders_V1_ReservationResponse(stored, order)
    }

    /// Whether a replacement reserved for the case now is a second shipment: the case's exchange
    /// is committed (its replacement was lost on the way).
    func isReshipment(_ caseID: String, in db: any SQLConnection) throws -> Bool {
        guard let existing = try self.store.reservation(caseID, in: db) else { return false }
        return existing.status == .committed && existing.kind == .replacement
    }

    /// A case holds at most one open reservation, and a committed one is final — but for a
    /// committed exchange whose replacement is sent again (`replacingCommittedExchange`); a
    /// released one (or that committed exchange) is archived, to be replaced by the new reservation.
    func makeRoomForReservation(_ caseID: String, replacingCommittedExchange: Bool = false, in db: any SQLConnection) throws {
        guard let existing = try self.store.reservation(caseID, in: db) else { return }
        switch existing.status {
        case .open:
            throw RPCError.failedPrecondition(
                "case \(caseID) already holds an open \(existing.kind.name) reservation on order \(existing.orderID)"
                    + (existing.sagaID.isEmpty ? "" : " (saga \(existing.sagaID))"))
        case .committed where !replacingCommittedExchange:
            throw RPCError.failedPrecondition("case \(caseID) already committed its reservation on order \(existing.orderID)")
        default:
            let now = self.clock.nowMicros
            try self.store.archive(replaced: existing, replacedID: RecordID.make("rsr", atMicros: now), now: now, in: db)
        }
    }

    /// Refunds and exchanges apply to paid orders only.
    static func requirePaid(_ order: Aftercare_Orders_V1_Order) throws(RPCError) {
        guard order.status.isPaid else {
            throw RPCError.failedPrecondition("order \(order.orderID) is \(order.status.name); only a paid order can be reserved against")
        }
    }

    /// Line quantities of a request: line ids given once each, quantities positive.
    static func checkLines(_ lines: [Aftercare_Orders_V1_ReservationLine], field: String) throws(RPCError) {
        guard lines.count <= Self.maxRequestLines else {
            throw RPCError.invalidField(field, "at most \(Self.maxRequestLines) lines, got \(lines.count)")
        }
        var seen = Set<String>()
        for (index, line) in lines.enumerated() {
            try RequestCheck.required(line.lineID, "\(field)[\(index)].line_id")
            try RequestCheck.positive(line.quantity, "\(field)[\(index)].quantity")
            guard seen.insert(line.lineID).inserted else {
                throw RPCError.invalidField("\(field)[\(index)].line_id", "line \(line.lineID) is given twice")
            }
        }
    }
}
