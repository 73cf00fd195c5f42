public import AftercareRPC
public import AftercareWire
import Foundation
package import GRDB
public import Logging
import SwiftProtobuf
import Synchronization

/// Spans kept in the service's own database, so a saga can still be traced after restarts, within a
/// retention bound (an age and a count). Spans are written in batches: the call that finds no batch
/// in flight writes every span recorded so far, so a busy server adds few transactions.
public final class SQLSpanStore: SpanStore {
    public let database: ServiceDatabase
    /// Spans older than this (by start time) are dropped.
    public let maxAgeMicros: Int64
    /// At most this many spans are kept.
    public let maxCount: Int
    private let clock: ServiceClock
    private let logger: Logger
    private let pending = Mutex<Pending>(Pending())

    private struct Pending {
        var spans: [SpanRecord] = []
        var flushing = false
        var written = 0
    }

    /// - Parameters:
    ///   - maxAge: spans older than this are dropped (default 7 days).
    ///   - maxCount: spans kept at most (default 200,000).
    public init(database: ServiceDatabase, clock: ServiceClock, maxAge: Duration = .seconds(7 * 86_400), maxCount: Int = 200_000, logger: Logger) {
        self.database = database
        self.clock = clock
        self.maxAgeMicros = maxAge.components.seconds * 1_000_000
        self.maxCount = maxCount
        self.logger = logger
    }

    public func record(_ span: SpanRecord) async {
        let mustFlush = self.pending.withLock { pending in
            pending.spans.append(span)
            guard !pending.flushing else { return false }
            pending.flushing = true
            return true
        }
        if mustFlush { await self.flush() }
    }

    public func spans(traceID: TraceID, limit: Int) async throws -> [SpanRecord] {
        let waiting = self.pending.withLock { pending in pending.spans.filter { $0.traceID == traceID } }
        let stored = try await self.database.read { db in
            try Data.fetchAll(
                db, sql: "SELECT body FROM spans WHERE trace_id = ? ORDER BY start_micros LIMIT ?", arguments: ["\(traceID)", limit])
        }.compactMap { bytes in (try? Aftercare_Common_V1_Span(serializedBytes: bytes)).flatMap(SpanRecord.init) }
        let seen = Set(stored.map(\.spanID))
        let all = stored + waiting.filter { !seen.contains($0.spanID) }
        return Array(all.sorted { $0.startUnixMicros < $1.startUnixMicros }.prefix(limit))
    }

    /// Writes every span recorded so far, until none is left.
    private func flush() async {
        while true {
            let batch = self.pending.withLock { pending in
                let batch = pending.spans
                pending.spans.removeAll(keepingCapacity: true)
                if batch.isEmpty { pending.flushing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let prune = self.pending.withLock { pending in
                pending.written += batch.count
                guard pending.written >= 512 else { return false }
                pending.written = 0
                return true
            }
            do {
                try await self.database.write { db in
                    for span in batch {
                        try db.execute(
                            sql: "INSERT INTO spans (trace_id, span_id, body, start_micros) VALUES (?, ?, ?, ?)",
                            arguments: [
                                "\(span.traceID)", String(span.spanID, radix: 16), try Aftercare_Common_V1_Span(span).serializedData(),
                                span.startUnixMicros,
                            ])
                    }
                    if prune { try self.prune(db) }
                }
            } catch {
                self.logger.warning("could not keep spans", metadata: ["error": "\(error)", "spans": "\(batch.count)"])
            }
        }
    }

    /// Drops spans past the retention bound.
    package func prune(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM spans WHERE start_micros < ?", arguments: [self.clock.nowMicros - self.maxAgeMicros])
        try db.execute(
            sql: """
                DELETE FROM spans WHERE start_micros < (
                    SELECT start_micros FROM spans ORDER BY start_micros DESC LIMIT 1 OFFSET ?)
                """,
            arguments: [self.maxCount - 1])
    }
}
