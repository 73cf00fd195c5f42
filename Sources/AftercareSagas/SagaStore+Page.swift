public import AftercareServiceKit

extension SagaStore {
    /// The sagas `filter` selects, newest first (by creation time, then id, descending).
    public func page(_ filter: SagaFilter, in db: any SQLConnection) throws -> [SagaRecord] {
        var conditions: [String] = []
        var arguments: [any SQLConvertible] = []
        if let state = filter.state {
            conditions.append("state = ?")
            arguments.append(state.rawValue)
        }
        if filter.waiting {
            let results = SagaAttempt.Result.waitsForRetry
            conditions.append("""
                state IN (?, ?) AND EXISTS (SELECT 1 FROM saga_attempts a WHERE a.saga_id = sagas.saga_id
                    AND a.seq = (SELECT MAX(b.seq) FROM saga_attempts b WHERE b.saga_id = sagas.saga_id)
                    AND a.result IN (\(sqlPlaceholders(count: results.count))))
                """)
            arguments.append(contentsOf: [SagaState.running.rawValue, SagaState.compensating.rawValue] as [any SQLConvertible])
            arguments.append(contentsOf: results.map(\.rawValue) as [any SQLConvertible])
        }
        if let definition = filter.definition {
            conditions.append("definition = ?")
            arguments.append(definition)
        }
        if let ids = filter.ids {
            guard !ids.isEmpty else { return [] }
            conditions.append("saga_id IN (\(sqlPlaceholders(count: ids.count)))")
            arguments.append(contentsOf: ids.sorted() as [any SQLConvertible])
        }
        if let from = filter.createdAtOrAfterMicros {
            conditions.append("created_at >= ?")
            arguments.append(from)
        }
        if let before = filter.createdBeforeMicros {
            conditions.append("created_at < ?")
            arguments.append(before)
        }
        if let after = filter.after {
            conditions.append("(created_at < ? OR (created_at = ? AND saga_id < ?))")
            arguments.append(contentsOf: [after.createdMicros, after.createdMicros, after.id] as [any SQLConvertible])
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(max(filter.limit, 1))
        return try db.query("SELECT * FROM sagas \(whereClause) ORDER BY created_at DESC, saga_id DESC LIMIT ?", arguments).map(Self.saga)
    }
}
