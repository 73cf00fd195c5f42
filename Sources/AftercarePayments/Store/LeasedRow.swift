/// A kind of row whose provider call is guarded by a lease (``ProviderLeases``): a charge or a
/// refund intent, each keyed by its id.
enum LeasedRow: Sendable, Hashable {
    /// A row of `payments`: its charge.
    case payment
    /// A row of `refunds`: its refund.
    case refund

    var table: String {
        switch self {
        case .payment: "payments"
        case .refund: "refunds"
        }
    }

    var idColumn: String {
        switch self {
        case .payment: "payment_id"
        case .refund: "refund_id"
        }
    }

    /// The status of a row whose provider call may still be made.
    var pending: String {
        switch self {
        case .payment: PaymentStatus.pending.rawValue
        case .refund: RefundStatus.pending.rawValue
        }
    }

    /// Takes the lease (owner, until; id, pending status, now): only a pending row whose lease is
    /// free or expired.
    var takeSQL: String {
        """
        UPDATE \(self.table) SET lease_owner = ?, lease_expires_at = ?
        WHERE \(self.idColumn) = ? AND status = ? AND (lease_owner = '' OR lease_expires_at <= ?)
        """
    }

    /// Ends the lease (id, owner) if its owner still holds it.
    var releaseSQL: String {
        "UPDATE \(self.table) SET lease_owner = '', lease_expires_at = 0 WHERE \(self.idColumn) = ? AND lease_owner = ?"
    }

    /// Ends the leases whose holder's name starts with a prefix (the prefix, twice).
    var releasePrefixedSQL: String {
        "UPDATE \(self.table) SET lease_owner = '', lease_expires_at = 0 WHERE lease_owner <> '' AND substr(lease_owner, 1, length(?)) = ?"
    }

    /// Ends every lease of the table (no arguments).
    var releaseEverySQL: String {
        "UPDATE \(self.table) SET lease_owner = '', lease_expires_at = 0 WHERE lease_owner <> ''"
    }

    /// The lease's holder and expiry (id).
    var leaseSQL: String {
        "SELECT lease_owner, lease_expires_at FROM \(self.table) WHERE \(self.idColumn) = ?"
    }
}
