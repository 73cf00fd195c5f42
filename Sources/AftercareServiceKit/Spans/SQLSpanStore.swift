public import AftercareRPC
public import AftercareWire
import Foundation
public import Logging
import SwiftProtobuf
public import ServiceLifecycle
import Synchronization

/// Spans kept in the service's own database, so a saga can still be traced after restarts, within a
/// retention bound (an age and a count). Recording only queues the span: ``run()`` writes the queue
/// in one transaction every `flushInterval` (and at graceful shutdown), so no call waits on a span's
/// disk write. Queries see queued spans too, and those being written until their transaction
/// committed. A crash loses at most one interval of spans.
public final class SQLSpanStore: SpanStore, Service {
    public let database: any SQLDatabase
    /// Spans older than this (by start time) are dropped.
    public let maxAgeMicros: Int64
    /// At most this many spans are kept.
    public let maxCount: Int
    /// How often queued spans are written.
    public let flushInterval: Duration
    /// At most this many spans wait in the queue; beyond it the oldest are dropped (and counted).
    public static let maxQueued = 50_000
    private let clock: ServiceClock
    private let logger: Logger
    private let queue = Mutex<Queue>(Queue())

    private struct Queue {
        var spans: [SpanRecord] = []
        /// The batches flushes are writing, each until its transaction ended, by flush.
        var writing: [UInt64: [SpanRecord]] = [:]
        var flushes: UInt64 = 0
        var dropped = 0
        var writtenSincePrune = 0
    }

    /// - Parameters:
    ///   - maxAge: spans older than this are dropped (default 7 days).
    ///   - maxCount: spans kept at most (default 200,000).
    ///   - flushInterval: how often queued spans are written (default 100 ms).
    public init(
        database: any SQLDatabase, clock: ServiceClock, maxAge: Duration = .seconds(7 * 86_400), maxCount: Int = 200_000,
        flushInterval: Duration = .milliseconds(100), logger: Logger
    ) {
        self.database = database
        self.clock = clock
        self.maxAgeMicros = maxAge.components.seconds * 1_000_000
        self.maxCount = maxCount
        self.flushInterval = flushInterval
        self.logger = logger
    }

    public func record(_ span: SpanRecord) {
        self.queue.withLock { queue in
            if queue.spans.count >= Self.maxQueued {
                queue.spans.removeFirst()
                queue.dropped += 1
            }
            queue.spans.append(span)
        }
    }

    public func spans(traceID: TraceID, limit: Int) async throws -> [SpanRecord] {
        // Read before the database: a batch cleared from `writing` meanwhile has committed, so
        // the snapshot below holds it.
        let queued = self.queue.withLock { queue in (queue.writing.values.joined() + queue.spans).filter { $0.traceID == traceID } }
        let stored = try await self.database.snapshot { db in
            try db.queryValues("SELECT body FROM spans WHERE trace_id = ? ORDER BY start_micros LIMIT ?", ["\(traceID)", limit], as: Data.self)
        }.compactMap { bytes in (try? Aftercare_Common_V1_Span(serializedBytes: bytes)).flatMap(SpanRecord.init) }
        let seen = Set(stored.map(\.spanID))
        let all = stored + queued.filter { !seen.contains($0.spanID) }
        return Array(all.sorted { $0.startUnixMicros < $1.startUnixMicros }.prefix(limit))
    }

    /// Writes the queue every `flushInterval` until graceful shutdown, then once more.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.flushInterval) }
            await self.flush()
        }
        await self.flush()
    }

    /// Writes every queued span now, pruning past the retention bound every 512 spans.
    public func flush() async {
        let (batch, flush, dropped, prune) = self.queue.withLock { queue in
            let batch = queue.spans
            let dropped = queue.dropped
            queue.flushes += 1
            if !batch.isEmpty { queue.writing[queue.flushes] = batch }
            queue.spans.removeAll(keepingCapacity: true)
            queue.dropped = 0
            queue.writtenSincePrune += batch.count
            let prune = queue.writtenSincePrune >= 512
            if prune { queue.writtenSincePrune = 0 }
            return (batch, queue.flushes, dropped, prune)
        }
        if dropped > 0 {
            self.logger.warning("span queue full: dropped the oldest spans", metadata: ["spans.dropped": "\(dropped)"])
        }
        guard !batch.isEmpty else { return }
        defer { self.queue.withLock { _ = $0.writing.removeValue(forKey: flush) } }
        do {
            try await self.database.transaction { db in
                for span in batch {
                    try db.execute(
                        "INSERT INTO spans (trace_id, span_id, body, start_micros) VALUES (?, ?, ?, ?)",
                        [
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

    /// Drops spans past the retention bound.
    package func prune(_ db: any SQLConnection) throws {
        try db.execute("DELETE FROM spans WHERE start_micros < ?", [self.clock.nowMicros - self.maxAgeMicros])
        try db.execute(
            """
            DELETE FROM spans WHERE start_micros < (
                SELECT start_micros FROM spans ORDER BY start_micros DESC LIMIT 1 OFFSET ?)
            """,
            [self.maxCount - 1])
    }
}
