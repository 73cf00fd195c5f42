public import AftercareServiceKit

extension SagaStore {
    /// Takes running or compensating saga `id`'s lease for `lease.owner` until `now` plus its
    /// duration, if no other engine holds it (none does, the holder is `lease.owner` itself, or its
    /// lease ran out).
    /// - Returns: whether the lease is now `lease.owner`'s (`false` too for a saga that does not
    ///   run, or no saga).
    public func takeLease(_ id: String, _ lease: SagaLease, atMicros now: Int64, in db: any SQLConnection) throws -> Bool {
        try db.execute(
            """
            UPDATE sagas SET lease_owner = ?, lease_until = ?
            WHERE saga_id = ? AND state IN ('running', 'compensating') AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)
            """,
            [lease.owner, now + lease.micros, id, lease.owner, now]) == 1
    }

    /// Writes every mutable field of `saga` as its lease holder: the lease renewed from the saga's
    /// `updatedMicros` while it runs or compensates, let go once it does neither.
    /// - Throws: ``SagaError`` `leaseLost` (nothing written) when `lease.owner` no longer holds it.
    public func update(_ saga: SagaRecord, leasedBy lease: SagaLease, in db: any SQLConnection) throws {
        let changed: Int
        if saga.state.isActive {
            changed = try db.execute(
                """
                UPDATE sagas SET state = ?, phase = ?, position = ?, tries = ?, awaiting_query = ?, saga_values = ?, completed = ?,
                    compensations = ?, reason = ?, forward_started_at = ?, compensation_started_at = ?, updated_at = ?, lease_until = ?
                WHERE saga_id = ? AND lease_owner = ?
                """,
                Self.fields(saga) + [saga.updatedMicros + lease.micros, saga.id, lease.owner])
        } else {
            changed = try db.execute(
                """
                UPDATE sagas SET state = ?, phase = ?, position = ?, tries = ?, awaiting_query = ?, saga_values = ?, completed = ?,
                    compensations = ?, reason = ?, forward_started_at = ?, compensation_started_at = ?, updated_at = ?,
                    lease_owner = NULL, lease_until = NULL
                WHERE saga_id = ? AND lease_owner = ?
                """,
                Self.fields(saga) + [saga.id, lease.owner])
        }
        guard changed == 1 else {
            throw SagaError(.leaseLost, "saga \(saga.id) is no longer leased to \(lease.owner): another engine drives it")
        }
    }

    /// Renews every lease `lease.owner` holds on a running or compensating saga, until `now` plus
    /// its duration.
    public func renewLeases(_ lease: SagaLease, atMicros now: Int64, in db: any SQLConnection) throws {
        try db.execute(
            "UPDATE sagas SET lease_until = ? WHERE lease_owner = ? AND state IN ('running', 'compensating')",
            [now + lease.micros, lease.owner])
    }

    /// The running or compensating sagas `lease.owner` may drive now, oldest first, at most
    /// `limit`: those nobody holds, its own, and those whose lease ran out.
    public func leasable(_ lease: SagaLease, atMicros now: Int64, limit: Int, in db: any SQLConnection) throws -> [String] {
        try db.queryValues(
            """
            SELECT saga_id FROM sagas WHERE state IN ('running', 'compensating')
                AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)
            ORDER BY created_at, saga_id LIMIT ?
            """,
            [lease.owner, now, limit], as: String.self)
    }
}
