import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import Foundation
import SwiftProtobuf

extension OrdersStore {
    /// Writes a case's reservation and its lines (a released one it replaces is archived first: see
    /// ``archive(replaced:replacedID:now:in:)``).
    func save(_ reservation: Aftercare_Orders_V1_Reservation, in db: any SQLConnection) throws {
        try db.execute(
            """
            INSERT INTO reservations (
                case_id, order_id, kind, status, saga_id, currency, amount_minor, previous_amount_minor, line_id,
                replacement_sku, replacement_option, quantity, committed_minor, closed_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (case_id) DO UPDATE SET
                order_id = excluded.order_id, kind = excluded.kind, status = excluded.status, saga_id = excluded.saga_id,
                currency = excluded.currency, amount_minor = excluded.amount_minor,
                previous_amount_minor = excluded.previous_amount_minor, line_id = excluded.line_id,
                replacement_sku = excluded.replacement_sku, replacement_option = excluded.replacement_option,
                quantity = excluded.quantity, committed_minor = excluded.committed_minor, closed_at = excluded.closed_at,
                created_at = excluded.created_at, updated_at = excluded.updated_at
            """,
            [
                reservation.caseID, reservation.orderID, reservation.kind.name, reservation.status.name, reservation.sagaID,
                reservation.amount.currency, reservation.amount.amountMinor,
                reservation.hasPreviousAmount ? reservation.previousAmount.amountMinor : nil, reservation.lineID,
                reservation.replacementSku, reservation.replacementOption, reservation.quantity,
                reservation.hasCommittedAmount ? reservation.committedAmount.amountMinor : nil, reservation.closedAtUnixMicros,
                reservation.createdAtUnixMicros, reservation.updatedAtUnixMicros,
            ])
        try db.execute("DELETE FROM reservation_lines WHERE case_id = ?", [reservation.caseID])
        for line in reservation.lines {
            try db.execute(
                "INSERT INTO reservation_lines (case_id, line_id, quantity, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                [reservation.caseID, line.lineID, line.quantity, reservation.updatedAtUnixMicros, reservation.updatedAtUnixMicros])
        }
    }

    /// Takes the row lock of a case's reservation for the rest of the transaction, before it is
    /// read (as ``lockOrder(_:in:)`` does for an order): two commits of one case never both find it
    /// open. `false` when the case has no reservation.
    @discardableResult
    func lockReservation(_ caseID: String, in db: any SQLConnection) throws -> Bool {
        try db.execute("UPDATE reservations SET updated_at = updated_at WHERE case_id = ?", [caseID]) > 0
    }

    /// A case's reservation, whatever its status, or `nil`.
    func reservation(_ caseID: String, in db: any SQLConnection) throws -> Aftercare_Orders_V1_Reservation? {
        guard let row = try db.queryOne("SELECT * FROM reservations WHERE case_id = ?", [caseID]) else { return nil }
        let currency: String = try row["currency"]
        let kindName: String = try row["kind"]
        let statusName: String = try row["status"]
        guard let kind = Aftercare_Orders_V1_ReservationKind(name: kindName),
            let status = Aftercare_Orders_V1_ReservationStatus(name: statusName)
        else {
            throw RPCError(.dataLoss, "reservation of case \(caseID) has an unknown kind \(kindName) or status \(statusName)")
        }
        var reservation = Aftercare_Orders_V1_Reservation()
        reservation.caseID = caseID
        reservation.orderID = try row["order_id"]
        reservation.kind = kind
        reservation.status = status
        reservation.sagaID = try row["saga_id"]
        reservation.amount = Aftercare_Common_V1_Money(try row["amount_minor"], currency)
        if let previous: Int64 = try row["previous_amount_minor"] {
            reservation.previousAmount = Aftercare_Common_V1_Money(previous, currency)
        }
        if let committed: Int64 = try row["committed_minor"] {
            reservation.committedAmount = Aftercare_Common_V1_Money(committed, currency)
        }
        reservation.lineID = try row["line_id"]
        reservation.replacementSku = try row["replacement_sku"]
        reservation.replacementOption = try row["replacement_option"]
        reservation.quantity = try row["quantity"]
        reservation.closedAtUnixMicros = try row["closed_at"]
        reservation.createdAtUnixMicros = try row["created_at"]
        reservation.updatedAtUnixMicros = try row["updated_at"]
        reservation.lines = try db.query("SELECT line_id, quantity FROM reservation_lines WHERE case_id = ? ORDER BY line_id", [caseID]).map {
            row in
            var line = Aftercare_Orders_V1_ReservationLine()
            line.lineID = try row["line_id"]
            line.quantity = try row["quantity"]
            return line
        }
        return reservation
    }

    /// Keeps a released reservation that a new one of its case is about to replace (the row of a
    /// case holds only its current reservation).
    func archive(replaced reservation: Aftercare_Orders_V1_Reservation, replacedID: String, now: Int64, in db: any SQLConnection) throws {
        try db.execute(
            """
            INSERT INTO replaced_reservations (replaced_id, case_id, order_id, saga_id, reservation, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [replacedID, reservation.caseID, reservation.orderID, reservation.sagaID, try reservation.serializedData(), now, now])
    }

    /// The case's earlier reservations, replaced by later ones, oldest first.
    func replacedReservations(_ caseID: String, in db: any SQLConnection) throws -> [Aftercare_Orders_V1_Reservation] {
        try db.queryValues(
            "SELECT reservation FROM replaced_reservations WHERE case_id = ? ORDER BY created_at, replaced_id", [caseID], as: Data.self
        ).map { bytes in try Aftercare_Orders_V1_Reservation(serializedBytes: bytes) }
    }

    /// The case's reservation, or NOT_FOUND naming `case_id`.
    func requireReservation(_ caseID: String, in db: any SQLConnection) throws -> Aftercare_Orders_V1_Reservation {
        guard let reservation = try self.reservation(caseID, in: db) else {
            throw RPCError.notFound("case_id", kind: "reservation for case", id: caseID)
        }
        return reservation
    }
}

extension Aftercare_Orders_V1_ReservationKind {
    /// The name stored: `amount` or `replacement`.
    var name: String {
        switch self {
        case .amount: "amount"
        case .replacement: "replacement"
        case .unspecified: "unspecified"
        case .UNRECOGNIZED(let value): "unrecognized(\(value))"
        }
    }

    init?(name: String) {
        switch name {
        case "amount": self = .amount
        case "replacement": self = .replacement
        default: return nil
        }
    }
}

extension Aftercare_Orders_V1_ReservationStatus {
    /// The name stored: `open`, `released` or `committed`.
    var name: String {
        switch self {
        case .open: "open"
        case .released: "released"
        case .committed: "committed"
        case .unspecified: "unspecified"
        case .UNRECOGNIZED(let value): "unrecognized(\(value))"
        }
    }

    init?(name: String) {
        switch name {
        case "open": self = .open
        case "released": self = .released
        case "committed": self = .committed
        default: return nil
        }
    }
}

extension OrdersStore {
    /// A case holding an open reservation on the order, if any.
    func openReservationCase(_ orderID: String, in db: any SQLConnection) throws -> String? {
        try db.queryValue("SELECT case_id FROM reservations WHERE order_id = ? AND status = 'open' ORDER BY case_id LIMIT 1", [orderID])
    }
}
