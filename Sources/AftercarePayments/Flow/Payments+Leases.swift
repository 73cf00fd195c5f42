import AftercareServiceKit

extension Payments {
    /// Runs `body` (a provider call and its settlement) holding `lease` of the pending `row`, and
    /// releases the lease if the row is left pending — `body` threw, or learned nothing from the
    /// provider; a settled row's lease ended with its settlement.
    func holding<Record: Sendable>(
        _ lease: String, of row: LeasedRow, id: String, settled: @Sendable (Record) -> Bool,
        _ body: () async throws -> Record
    ) async throws -> Record {
        let record: Record
        do {
            record = try await body()
        } catch {
            await self.leases.release(row, id: id, owner: lease, in: self.database)
            throw error
        }
        if !settled(record) { await self.leases.release(row, id: id, owner: lease, in: self.database) }
        return record
    }

    /// ``holding(_:of:id:settled:_:)`` for a charge.
    func holding(_ lease: String, of row: LeasedRow, id: String, _ body: () async throws -> PaymentRecord) async throws -> PaymentRecord {
        try await self.holding(lease, of: row, id: id, settled: { $0.status != .pending }, body)
    }

    /// ``holding(_:of:id:settled:_:)`` for a refund intent.
    func holding(_ lease: String, of row: LeasedRow, id: String, _ body: () async throws -> RefundRecord) async throws -> RefundRecord {
        try await self.holding(lease, of: row, id: id, settled: { $0.status != .pending }, body)
    }
}
