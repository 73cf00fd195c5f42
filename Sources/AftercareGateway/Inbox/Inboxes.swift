package import AftercareRPC
package import AftercareServiceKit
import Synchronization

/// The notification inboxes: one per buyer, one per seller and one for the platform team, in the
/// gateway's database, filled from every service's feed.
///
/// Delivery is exactly-once per event: an event's items are written in one transaction, under
/// the locks of the inboxes they go to, and an event whose first inbox already holds its item is
/// not delivered again (the router is at-least-once), so a repeat changes nothing. Each inbox
/// numbers its items 1, 2, 3, … in delivery order. Which events reach which
/// inboxes: see `InboxAudience` (the parties an event names, except internal bookkeeping; the
/// platform team for platform attention, escalations, failed refunds and review appeals).
package final class Inboxes: EventWriter, Sendable {
    let database: any SQLDatabase
    let clock: ServiceClock
    let store = InboxStore()
    private let listeners = Mutex<Listeners>(Listeners())

    private struct Listeners {
        var next: UInt64 = 0
        var byOwner: [String: [UInt64: AsyncStream<[InboxItem]>.Continuation]] = [:]
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
        let items = try await self.database.transaction { db in try self.file([event], atMicros: now, in: db) }
        InboxMetrics.delivered(items)
        self.notify(items)
        return items
    }

    /// Delivers a page of events, as the router's writer, in the page's transaction; once it
    /// committed, the items are counted and the followers of the inboxes it reached are woken.
    package func write(_ events: [Aftercare_Common_V1_Event], atMicros now: Int64, in db: any SQLConnection) throws {
        let items = try self.file(events, atMicros: now, in: db)
        guard !items.isEmpty else { return }
        db.afterCommit {
            InboxMetrics.delivered(items)
            self.notify(items)
        }
    }

    /// An event of a page and the inboxes it reaches (``InboxAudience``), buyer first.
    private typealias Audience = (event: Aftercare_Common_V1_Event, owners: [InboxOwner])

    /// Files `events` in `db`, each in the inboxes it reaches; answers the items it made, in the
    /// page's event order. Each inbox's positions for the page are taken in one upsert (its new
    /// events' count), then numbered in event order: gapless, as one by one.
    private func file(_ events: [Aftercare_Common_V1_Event], atMicros now: Int64, in db: any SQLConnection) throws -> [InboxItem] {
        let audiences = events.map { (event: $0, owners: InboxAudience.owners(of: $0)) }
        // Every inbox of the events first, in one order: two pages filing into the same inboxes
        // (followers of two feeds) then wait for each other instead of deadlocking.
        for key in Set(audiences.flatMap { $0.owners.map(InboxStore.lockKey) }).sorted() {
            try db.serialize(on: key)
        }
        let new = try self.newEvents(audiences, in: db)
        let counts = new.reduce(into: [InboxOwner: Int64]()) { counts, audience in
            for owner in audience.owners { counts[owner, default: 0] += 1 }
        }
        var next = try self.store.takePositions(counts, in: db)
        var items: [InboxItem] = []
        for (event, owners) in new {
            let summary = InboxSummary.sentence(for: event)
            for owner in owners {
                let position = next[owner, default: 1]  // every owner counted has its first position
                next[owner] = position + 1
                let item = InboxItem(
                    owner: owner, position: position, eventID: event.eventID, source: event.source, sourceSeq: event.seq, type: event.type,
                    occurredAtMicros: event.occurredAtUnixMicros, subjects: event.subjects, summary: summary, deliveredAtMicros: now,
                    readAtMicros: nil)
                try self.store.insert(item, in: db)
                items.append(item)
            }
        }
        return items
    }

    /// The events of a page to deliver, in order: those that reach some inbox and whose first
    /// inbox (its lock held) holds no item of theirs, neither from an earlier delivery nor from an
    /// earlier event of this page — so a duplicate within the page is a repeat too (the items of
    /// one event are written together). An event that reaches nobody writes nothing.
    private func newEvents(_ audiences: [Audience], in db: any SQLConnection) throws -> [Audience] {
        var filed: [InboxOwner: Set<String>] = [:]
        return try audiences.filter { audience in
            let eventID = audience.event.eventID
            guard let first = audience.owners.first, filed[first]?.contains(eventID) != true,
                try !self.store.holds(first, eventID: eventID, in: db)
            else { return false }
            for owner in audience.owners { filed[owner, default: []].insert(eventID) }
            return true
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

    /// A stream of what commits into `owner`'s inbox: each commit's items of that inbox, in
    /// position order; only the newest is kept until read (a follower that finds a gap before it
    /// reads the inbox instead).
    func subscribe(_ owner: InboxOwner) -> (AsyncStream<[InboxItem]>, InboxSubscription) {
        let (stream, continuation) = AsyncStream<[InboxItem]>.makeStream(bufferingPolicy: .bufferingNewest(1))
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

    /// Hands the followers of each inbox `items` reached that inbox's items (committed).
    private func notify(_ items: [InboxItem]) {
        guard !items.isEmpty else { return }
        let byOwner = Dictionary(grouping: items, by: \.owner.key)
        let deliveries = self.listeners.withLock { listeners in
            byOwner.flatMap { owner, items in (listeners.byOwner[owner].map { Array($0.values) } ?? []).map { ($0, items) } }
        }
        for (continuation, items) in deliveries {
            continuation.yield(items.sorted { $0.position < $1.position })
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
