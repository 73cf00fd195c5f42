public import AftercareRPC
import AftercareWire
import Foundation
import SwiftProtobuf
import Synchronization

/// A service's event feed, a transactional outbox: events are appended in the same transaction as
/// the change they describe, numbered 1, 2, 3, … in commit order, and read from a cursor or
/// followed live. Nothing is published that did not commit; nothing that committed is lost.
public final class EventFeed: Sendable {
    /// The service that writes it, e.g. `orders`.
    public let source: String
    let database: any SQLDatabase
    let clock: ServiceClock
    /// How often a follower also looks for new events without being woken: when other processes
    /// (instances sharing the database) append to the feed too, their commits wake nobody here.
    let pollInterval: Duration?
    private let listeners = Mutex<Listeners>(Listeners())
    /// What appenders hold from numbering an event to their commit.
    static let appendLock = SQLLockKey("feed_events")

    private struct Listeners {
        var next: UInt64 = 0
        var continuations: [UInt64: AsyncStream<Void>.Continuation] = [:]
    }

    /// - Parameters:
    ///   - source: the service's name, written into every event.
    ///   - database: the service's database, holding the `feed_events` table.
    ///   - clock: stamps `occurred_at_unix_micros`.
    ///   - pollInterval: with other processes appending to the same database, how often a follower
    ///     looks for their events (this process's commits wake its followers at once); `nil`, the
    ///     default, when this process is the feed's only writer.
    public init(source: String, database: any SQLDatabase, clock: ServiceClock, pollInterval: Duration? = nil) {
        self.source = source
        self.database = database
        self.clock = clock
        self.pollInterval = pollInterval
    }

    /// Appends `event` inside the caller's write transaction and returns it as stored: with its id,
    /// sequence number, source and time, and the trace (with the call's span) and saga of `context`
    /// when it has none.
    @discardableResult
    public func append(_ event: Aftercare_Common_V1_Event, context: ServerContext?, in db: any SQLConnection) throws -> Aftercare_Common_V1_Event {
        var event = event
        let now = self.clock.nowMicros
        // MAX + 1 under the feed's lock key, held to the commit: appenders number one after the
        // other, so numbers follow commit order and a follower never skips one committed late.
        // (SQLite's one writer does that by itself; on PostgreSQL, at READ COMMITTED, the MAX read
        // after the wait sees the append the wait was for.)
        try db.serialize(on: Self.appendLock)
        let head = try db.queryValue("SELECT MAX(seq) FROM feed_events", as: Int64.self) ?? 0
        event.seq = head + 1
        event.eventID = RecordID.make("evt", atMicros: now)
        event.source = self.source
        event.occurredAtUnixMicros = now
        if let context {
            if event.traceID.isEmpty {
                event.traceID = "\(context.traceID)"
                event.spanID = hex16(context.spanID)
            }
            if event.sagaID.isEmpty, let saga = context.saga { event.sagaID = saga.sagaID }
        }
        try db.execute(
            "INSERT INTO feed_events (seq, event_id, type, occurred_at, body) VALUES (?, ?, ?, ?, ?)",
            [event.seq, event.eventID, event.type, now, try event.serializedData()])
        db.afterCommit { [weak self] in self?.notifyListeners() }
        return event
    }

    /// The newest sequence number, 0 for an empty feed.
    public func head() async throws -> Int64 {
        try await self.database.snapshot { db in try db.queryValue("SELECT MAX(seq) FROM feed_events", as: Int64.self) ?? 0 }
    }

    /// Up to `limit` events with `seq > afterSeq`, oldest first, of `types` (all when empty).
    public func read(afterSeq: Int64, limit: Int, types: [String] = []) async throws -> [Aftercare_Common_V1_Event] {
        try await self.database.snapshot { db in
            var sql = "SELECT body FROM feed_events WHERE seq > ?"
            var arguments: [any SQLConvertible] = [afterSeq]
            if !types.isEmpty {
                sql += " AND type IN (\(sqlPlaceholders(count: types.count)))"
                arguments += types as [any SQLConvertible]
            }
            sql += " ORDER BY seq LIMIT ?"
            arguments.append(limit)
            // A follower asks with the same types page after page: one statement per shape.
            return try db.queryValues(sql, arguments, as: Data.self).map { bytes in
                try Aftercare_Common_V1_Event(serializedBytes: bytes)
            }
        }
    }

    /// Delivers every event after `afterSeq`, then each new one as it commits (another process's
    /// within ``pollInterval``), until the task is cancelled or `deliver` throws.
    public func follow(
        afterSeq: Int64,
        types: [String] = [],
        pageSize: Int = 256,
        _ deliver: (Aftercare_Common_V1_Event) async throws -> Void
    ) async throws {
        let (signals, id) = self.subscribe()
        defer { self.unsubscribe(id) }
        // Other writers' commits wake nobody here: a tick wakes the follower to look.
        let ticker = self.pollInterval.map { interval in
            let wake = self.listeners.withLock { $0.continuations[id] }
            return Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    wake?.yield()
                }
            }
        }
        defer { ticker?.cancel() }
        var cursor = afterSeq
        var waiting = signals.makeAsyncIterator()
        while !Task.isCancelled {
            let page = try await self.read(afterSeq: cursor, limit: pageSize, types: types)
            for event in page {
                try await deliver(event)
                cursor = event.seq
            }
            if page.count < pageSize {
                // A commit after the subscription but before the read has left a signal buffered.
                guard await waiting.next() != nil else { return }
            }
        }
        throw CancellationError()
    }

    private func subscribe() -> (AsyncStream<Void>, UInt64) {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = self.listeners.withLock { listeners in
            defer { listeners.next += 1 }
            listeners.continuations[listeners.next] = continuation
            return listeners.next
        }
        return (stream, id)
    }

    private func unsubscribe(_ id: UInt64) {
        self.listeners.withLock { $0.continuations.removeValue(forKey: id) }?.finish()
    }

    private func notifyListeners() {
        for continuation in self.listeners.withLock({ Array($0.continuations.values) }) {
            continuation.yield()
        }
    }
}
