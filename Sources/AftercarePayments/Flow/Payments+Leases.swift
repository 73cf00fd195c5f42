import AftercareServiceKit

extension Payments {
    /// Runs `body` (a provider call and its settlement) holding `lease` of the pending `record`'s
    /// row, and releases the lease if the row is left pending — `body` threw, or learned nothing
    /// from the provider; a settled row's lease ended with its settlement.
    func holding<Record: LeasedRecord>(_ lease: String, of record: Record, _ body: () async throws -> Record) async throws -> Record {
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
        _ load: @escaping @Sendable (any SQLConnection) throws -> Record?, _ settle: (Record) async throws -> Record
    ) async throws -> Record? {
        let (current, lease) = try await self.database.transaction { db -> (Record?, String?) in
            guard let current = try load(db) else { return (nil, nil) }
            return (current, current.isPending ? try self.leases.take(current, in: db) : nil)
        }
        guard let current, let lease else { return current }
        return try await self.holding(lease, of: current) { try await settle(current) }
    }
}
