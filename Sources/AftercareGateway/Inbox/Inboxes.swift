package import AftercareRPC
package import AftercareServiceKit
import Synchronization

/// The notification inboxes: one per buyer, one per seller and one for the platform team, in the
/// gateway's database, filled from every service's feed.
///
/// Delivery is exactly-once per event: the event id is claimed by a unique key in the same
/// transaction as the items, so an event delivered again (the router is at-least-once) changes
/// nothing. Each inbox numbers its items 1, 2, 3, … in delivery order. Which events reach which
/// inboxes: see `InboxAudience` (the parties an event names, except internal bookkeeping; the
/// platform team for platform attention, escalations, failed refunds and review appeals).
package final class Inboxes: EventWriter, Sendable {
    let database: any SQLDatabase
    let clock: ServiceClock
    let store = InboxStore()
    private let listeners = Mutex<Listeners>(Listeners())

    private struct Listeners {
        var next: UInt64 = 0
        var byOwner: [String: [UInt64: AsyncStream<Void>.Continuation]] = [:]
    }

    /// - Parameters:
    ///   - database: the gateway's database, migrated with ``register(in:)``.
    ///   - clock: stamps delivery and read times.
    package init(database: any SQLDatabase, clock: ServiceClock) {
        self.database = database
        self.clock = clock
    }

    /// Registers the inboxes' tables in the gateway's migrations.
    package static func register(in migrations: inout SQLMigrations) {
        InboxStore.register(in: &migrations)
    }

    /// Delivers `event` to the inboxes it reaches, in a transaction of its own; answers the items
    /// it made (none when the event was delivered before or reaches nobody).
    @discardableResult
    package func deliver(_ event: Aftercare_Common_V1_Event) async throws -> [InboxItem] {
        let now = self.clock.nowMicros
        let items = try await self.database.transaction { db in try self.deliver(event, atMicros: now, in: db) }
        InboxMetrics.delivered(items)
        self.notify(items.map(\.owner.key))
        return items
    }

    /// Delivers a page of events, as the router's writer, in the page's transaction; once it
    /// committed, the items are counted and the followers of the inboxes it reached are woken.
    package func write(_ events: [Aftercare_Common_V1_Event], atMicros now: Int64, in db: any SQLConnection) throws {
        // Every inbox of the page first, in one order: two pages filing into the same inboxes
        // (followers of two feeds) then wait for each other instead of deadlocking.
        for key in Set(events.flatMap { InboxAudience.owners(of: $0).map(InboxStore.lockKey) }).sorted() {
            try db.serialize(on: key)
        }
        let items = try events.flatMap { try self.deliver($0, atMicros: now, in: db) }
        guard !items.isEmpty else { return }
        db.afterCommit {
            InboxMetrics.delivered(items)
            self.notify(items.map(\.owner.key))
        }
    }

    /// Delivers `event` in `db`: claims it (nothing more when it was claimed before) and files an
    /// item in each inbox it reaches.
    private func deliver(_ event: Aftercare_Common_V1_Event, atMicros now: Int64, in db: any SQLConnection) throws -> [InboxItem] {
        guard try self.store.claim(event, atMicros: now, in: db) else { return [] }
        let summary = InboxSummary.sentence(for: event)
        return try InboxAudience.owners(of: event).map { owner in
            let item = InboxItem(
                owner: owner, position: try self.store.takePosition(owner, in: db), eventID: event.eventID, source: event.source,
                sourceSeq: event.seq, type: event.type, occurredAtMicros: event.occurredAtUnixMicros, subjects: event.subjects,
                summary: summary, deliveredAtMicros: now, readAtMicros: nil)
            try self.store.insert(item, in: db)
            return item
        }
    }

    /// Up to `limit` items of `owner`'s inbox after position `after`, oldest first.
    package func list(_ owner: InboxOwner, after: Int64 = 0, limit: Int = 100) async throws -> InboxPage {
        try await self.database.snapshot { [store] db in
            let items = try store.items(owner, after: after, limit: max(limit, 1), in: db)
            return InboxPage(
                items: items, nextAfter: items.last?.position ?? after, head: try store.head(owner, in: db),
                unread: try store.unreadCount(owner, in: db))
        }
    }

    /// `owner`'s items after position `after`, at most `limit`: a page without its counts, for a
    /// follower (one query where ``list(_:after:limit:)`` makes three).
    func items(_ owner: InboxOwner, after: Int64, limit: Int) async throws -> [InboxItem] {
        try await self.database.snapshot { [store] db in try store.items(owner, after: after, limit: max(limit, 1), in: db) }
    }

    /// Marks the items at `positions` of `owner`'s inbox read; answers how many were unread.
    /// Idempotent: an item read before keeps its first read time; unknown positions are ignored.
    @discardableResult
    package func markRead(_ owner: InboxOwner, positions: [Int64]) async throws -> Int {
        let now = self.clock.nowMicros
        return try await self.database.transaction { [store] db in try store.markRead(owner, positions: positions, atMicros: now, in: db) }
    }

    /// `owner`'s items after position `after`, then each new one as it commits, for as long as
    /// the sequence is iterated (it ends when the iterating task is cancelled).
    package func follow(_ owner: InboxOwner, after: Int64 = 0, pageSize: Int = 100) -> InboxFollow {
        InboxFollow(inboxes: self, owner: owner, after: after, pageSize: max(pageSize, 1))
    }

    // MARK: Listeners

    func subscribe(_ owner: InboxOwner) -> (AsyncStream<Void>, InboxSubscription) {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = self.listeners.withLock { listeners in
            defer { listeners.next += 1 }
            listeners.byOwner[owner.key, default: [:]][listeners.next] = continuation
            return listeners.next
        }
        return (stream, InboxSubscription(inboxes: self, owner: owner.key, id: id))
    }

    func unsubscribe(owner: String, id: UInt64) {
        let continuation = self.listeners.withLock { listeners in
            defer { if listeners.byOwner[owner]?.isEmpty == true { listeners.byOwner[owner] = nil } }
            return listeners.byOwner[owner]?.removeValue(forKey: id)
        }
        continuation?.finish()
    }

    private func notify(_ owners: [String]) {
        guard !owners.isEmpty else { return }
        let continuations = self.listeners.withLock { listeners in owners.flatMap { listeners.byOwner[$0].map { Array($0.values) } ?? [] } }
        for continuation in continuations {
            continuation.yield()
        }
    }
}

/// Ends a follower's subscription when its iterator goes away.
final class InboxSubscription: Sendable {
    let inboxes: Inboxes
    let owner: String
    let id: UInt64

    init(inboxes: Inboxes, owner: String, id: UInt64) {
        self.inboxes = inboxes
        self.owner = owner
        self.id = id
    }

    deinit {
        self.inboxes.unsubscribe(owner: self.owner, id: self.id)
    }
}
