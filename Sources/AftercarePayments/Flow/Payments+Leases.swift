import AftercareServiceKit

extension Payments {
    /// Runs `body` (a provider call and its settlement) holding `lease` of the pending `record`'s
    /// row, and releases the lease if the row is left pending — `body` threw, or learned nothing
    /// from the provider; a settled row's lease ended with its settlement.
    ///
    /// Once started it runs to its end even when its caller goes (its connection closed, its
    /// deadline passed, the call cancelled): the provider's answer is recorded and the lease let
    /// go, so the caller's retry under the key finds the outcome at once, instead of finding the
    /// lease held until it runs out (a cancelled task's transactions fail on PostgreSQL, the
    /// release among them).
    func holding<Record: LeasedRecord>(
        _ lease: String, of record: Record, _ body: @escaping @Sendable () async throws -> Record
    ) async throws -> Record {
        try await Task { try await self.holdingToTheEnd(lease, of: record, body) }.value
    }

    private func holdingToTheEnd<Record: LeasedRecord>(
        _ lease: String, of record: Record, _ body: @Sendable () async throws -> Record
    ) async throws -> Record {
        let settled: Record
        do {
            settled = try await body()
        } catch {
            await self.leases.release(Record.row, id: record.leaseID, owner: lease, in: self.database)
            throw error
        }
        if settled.isPending { await self.leases.release(Record.row, id: record.leaseID, owner: lease, in: self.database) }
        return settled
    }

    /// Settles the record `load` finds, if it is still pending and its lease free, asking its
    /// provider first (`settle`) while holding the lease; answers the record as it ended, or as
    /// found when it was settled or another call holds its lease (`nil` when there is none).
    func settleLeased<Record: LeasedRecord>(
        _ load: @escaping @Sendable (any SQLConnection) throws -> Record?, _ settle: @escaping @Sendable (Record) async throws -> Record
    ) async throws -> Record? {
        let (current, lease) = try await self.database.transaction { db -> (Record?, String?) in
            guard let current = try load(db) else { return (nil, nil) }
            return (current, current.isPending ? try self.leases.take(current, in: db) : nil)
        }
        guard let current, let lease else { return current }
        return try await self.holding(lease, of: current) { try await settle(current) }
    }
}
