import AftercareAftersalesAPI
import AftercareFeedbackAPI
import AftercareGateway
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

@Suite("Inboxes")
struct InboxTests {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    static func inboxes() throws -> Inboxes {
        Inboxes(database: try ServiceDatabase.inMemory(migrations: .eventRouter), clock: ServiceClock(testMode: true, fixedStart: Self.start))
    }

    static func event(
        _ type: String, seq: Int64, buyer: String = "buyer_1", seller: String = "seller_1", payload: some SwiftProtobuf.Message = Google_Protobuf_Empty()
    ) throws -> Aftercare_Common_V1_Event {
        var event = try Aftercare_Common_V1_Event(type: type, payload: payload, buyerID: buyer, sellerID: seller)
        event.eventID = "evt_\(type)_\(seq)"
        event.seq = seq
        event.source = String(type.split(separator: ".")[0])
        event.subjects.orderID = "ord_1"
        return event
    }

    static func caseChanged(event name: String, from: String, to: String) -> Aftercare_Aftersales_V1_CaseChanged {
        var change = Aftercare_Aftersales_V1_CaseChanged()
        change.record.caseID = "cas_1"
        change.entry.event = name
        change.entry.fromState = from
        change.entry.toState = to
        return change
    }

    struct Audience: Sendable, CustomStringConvertible {
        let description: String
        let event: @Sendable () throws -> Aftercare_Common_V1_Event
        let owners: [InboxOwner]
    }

    static let audiences: [Audience] = [
        Audience(description: "an order paid: both parties", event: { try InboxTests.event("orders.order.paid", seq: 1) }, owners: [.buyer("buyer_1"), .seller("seller_1")]),
        Audience(description: "a reservation: nobody", event: { try InboxTests.event("orders.reservation.reserved", seq: 1) }, owners: []),
        Audience(description: "stock changed: nobody", event: { try InboxTests.event("orders.stock.changed", seq: 1, buyer: "", seller: "") }, owners: []),
        Audience(description: "a saga requested: nobody", event: { try InboxTests.event(AftersalesEventTypes.sagaRequested, seq: 1) }, owners: []),
        Audience(description: "a review's timer paused: nobody", event: { try InboxTests.event(FeedbackEventTypes.caseOpened, seq: 1) }, owners: []),
        Audience(
            description: "a seller's approval: both parties",
            event: { try InboxTests.event(AftersalesEventTypes.changed, seq: 1, payload: InboxTests.caseChanged(event: "seller.approve", from: "PENDING_SELLER", to: "APPROVED")) },
            owners: [.buyer("buyer_1"), .seller("seller_1")]),
        Audience(
            description: "an escalation: both parties and the platform",
            event: { try InboxTests.event(AftersalesEventTypes.changed, seq: 1, payload: InboxTests.caseChanged(event: "buyer.escalate", from: "REJECTED", to: "ESCALATED")) },
            owners: [.buyer("buyer_1"), .seller("seller_1"), .platform]),
        Audience(
            description: "a refund failed: both parties and the platform",
            event: {
                try InboxTests.event(AftersalesEventTypes.changed, seq: 1, payload: InboxTests.caseChanged(event: "saga Refund: refund failed", from: "REFUNDING", to: "REFUND_FAILED"))
            },
            owners: [.buyer("buyer_1"), .seller("seller_1"), .platform]),
        Audience(description: "a review appealed: both parties and the platform", event: { try InboxTests.event(FeedbackEventTypes.appealed, seq: 1) }, owners: [.buyer("buyer_1"), .seller("seller_1"), .platform]),
        Audience(description: "seller attention: the seller", event: { try InboxTests.event(FeedbackEventTypes.attentionSeller, seq: 1) }, owners: [.seller("seller_1")]),
        Audience(
            description: "platform attention: the platform", event: { try InboxTests.event(FeedbackEventTypes.attentionPlatform, seq: 1, seller: "") }, owners: [.platform]),
    ]

    @Test("which inboxes an event reaches", arguments: Self.audiences)
    func audience(_ example: Audience) async throws {
        let inboxes = try Self.inboxes()
        let items = try await inboxes.deliver(try example.event())
        #expect(items.map(\.owner) == example.owners)
        #expect(items.allSatisfy { $0.position == 1 && !$0.summary.isEmpty && $0.subjects.orderID == "ord_1" })
    }

    @Test("an event delivered again changes nothing; each inbox numbers its own items")
    func exactlyOnce() async throws {
        let inboxes = try Self.inboxes()
        let paid = try Self.event("orders.order.paid", seq: 1)
        let other = try Self.event("orders.order.created", seq: 2, buyer: "buyer_2")
        #expect(try await inboxes.deliver(paid).count == 2)
        #expect(try await inboxes.deliver(paid).isEmpty)
        #expect(try await inboxes.deliver(other).map(\.position) == [1, 2])  // buyer_2's first, seller_1's second
        let seller = try await inboxes.list(.seller("seller_1"))
        #expect(seller.items.map(\.eventID) == [paid.eventID, other.eventID] && seller.items.map(\.position) == [1, 2])
        #expect(seller.head == 2 && seller.unread == 2)
        #expect(try await inboxes.list(.buyer("buyer_1")).items.map(\.eventID) == [paid.eventID])
        #expect(try await inboxes.list(.buyer("nobody")) == InboxPage(items: [], nextAfter: 0, head: 0, unread: 0))
    }

    @Test(
        "a page takes each inbox's positions at once: gapless, in event order, each event once per inbox (a duplicate in the page or an event delivered before is a repeat), as one by one; the page again changes nothing",
        arguments: TestSQLDriver.allCases)
    func page(driver: TestSQLDriver) async throws {
        let earlier = try Self.event("orders.order.paid", seq: 1)
        let created = try Self.event("orders.order.created", seq: 2)
        let escalated = try Self.event(AftersalesEventTypes.changed, seq: 3, payload: Self.caseChanged(event: "buyer.escalate", from: "REJECTED", to: "ESCALATED"))
        let other = try Self.event("orders.order.created", seq: 4, buyer: "buyer_2")
        let attention = try Self.event(FeedbackEventTypes.attentionSeller, seq: 5)
        let page = [created, earlier, escalated, created, try Self.event("orders.reservation.reserved", seq: 6), other, attention, escalated]
        let expected: [InboxOwner: [Aftercare_Common_V1_Event]] = [
            .buyer("buyer_1"): [earlier, created, escalated], .seller("seller_1"): [earlier, created, escalated, other, attention],
            .buyer("buyer_2"): [other], .platform: [escalated],
        ]
        // Each event in a transaction of its own: what the page must file alike.
        let oneByOne = try await driver.withDatabase(migrations: .gateway) { database in
            let inboxes = Inboxes(database: database, clock: ServiceClock(testMode: true, fixedStart: Self.start))
            for event in [earlier] + page { try await inboxes.deliver(event) }
            return try await Self.lists(Array(expected.keys), of: inboxes)
        }
        try await driver.withDatabase(migrations: .gateway) { database in
            let clock = ServiceClock(testMode: true, fixedStart: Self.start)
            let inboxes = Inboxes(database: database, clock: clock)
            try await inboxes.deliver(earlier)
            for _ in 1...2 {
                let now = clock.nowMicros
                try await database.transaction { db in try inboxes.write(page, atMicros: now, in: db) }
                let lists = try await Self.lists(Array(expected.keys), of: inboxes)
                for (owner, events) in expected {
                    let list = try #require(lists[owner])
                    #expect(list.items.map(\.eventID) == events.map(\.eventID), "\(owner)")
                    #expect(list.items.map(\.position) == Array(1...Int64(events.count)) && list.head == Int64(events.count), "\(owner)")
                }
                #expect(lists == oneByOne)
            }
        }
    }

    /// The first page of each of `owners`' inboxes.
    static func lists(_ owners: [InboxOwner], of inboxes: Inboxes) async throws -> [InboxOwner: InboxPage] {
        var lists: [InboxOwner: InboxPage] = [:]
        for owner in owners { lists[owner] = try await inboxes.list(owner) }
        return lists
    }

    @Test("pages from a cursor")
    func paging() async throws {
        let inboxes = try Self.inboxes()
        for seq in 1...5 { try await inboxes.deliver(try Self.event("orders.order.paid", seq: Int64(seq))) }
        let first = try await inboxes.list(.buyer("buyer_1"), after: 0, limit: 2)
        #expect(first.items.map(\.position) == [1, 2] && first.nextAfter == 2 && first.head == 5)
        let second = try await inboxes.list(.buyer("buyer_1"), after: first.nextAfter, limit: 2)
        #expect(second.items.map(\.position) == [3, 4] && second.nextAfter == 4)
        let last = try await inboxes.list(.buyer("buyer_1"), after: 4, limit: 2)
        #expect(last.items.map(\.position) == [5] && last.nextAfter == 5)
        #expect(try await inboxes.list(.buyer("buyer_1"), after: 5).items.isEmpty)
    }

    @Test("marking read is idempotent and per inbox, alike on both drivers", arguments: TestSQLDriver.allCases)
    func markRead(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: .gateway) { database in
            let inboxes = Inboxes(database: database, clock: ServiceClock(testMode: true, fixedStart: Self.start))
            for seq in 1...3 { try await inboxes.deliver(try Self.event("orders.order.paid", seq: Int64(seq))) }
            #expect(try await inboxes.markRead(.buyer("buyer_1"), positions: [1, 3, 9]) == 2)
            let read = try await inboxes.list(.buyer("buyer_1"))
            #expect(read.unread == 1 && read.items.map { $0.readAtMicros != nil } == [true, false, true])
            #expect(try await inboxes.markRead(.buyer("buyer_1"), positions: [1, 3]) == 0)
            #expect(try await inboxes.list(.buyer("buyer_1")) == read)
            #expect(try await inboxes.list(.seller("seller_1")).unread == 3)
        }
    }

    @Test("following an inbox yields the items after a cursor, then each new one as it commits")
    func followLive() async throws {
        let inboxes = try Self.inboxes()
        for seq in 1...2 { try await inboxes.deliver(try Self.event("orders.order.paid", seq: Int64(seq))) }
        try await withThrowingTaskGroup(of: [Int64].self) { group in
            group.addTask {
                var positions: [Int64] = []
                for try await item in inboxes.follow(.buyer("buyer_1"), after: 1) {
                    positions.append(item.position)
                    if positions.count == 4 { break }
                }
                return positions
            }
            for seq in 3...5 {
                try await inboxes.deliver(try Self.event("orders.order.paid", seq: Int64(seq)))
                try await inboxes.deliver(try Self.event("orders.order.paid", seq: Int64(100 + seq), buyer: "buyer_2"))
            }
            #expect(try await group.next() == [2, 3, 4, 5])
        }
    }

    @Test("a follower reads full pages one after another without a signal, then, caught up after a short page, each item a signal brings")
    func followPages() async throws {
        let inboxes = try Self.inboxes()
        for seq in 1...5 { try await inboxes.deliver(try Self.event("orders.order.paid", seq: Int64(seq))) }
        try await withThrowingTaskGroup(of: [Int64].self) { group in
            group.addTask {
                var positions: [Int64] = []
                for try await item in inboxes.follow(.buyer("buyer_1"), pageSize: 2) {
                    positions.append(item.position)
                    if positions.count == 8 { break }
                }
                return positions
            }
            // Pages of 2, 2, then 1 (short: caught up); later deliveries each end a wait.
            for seq in 6...8 {
                try await Task.sleep(for: .milliseconds(20))
                try await inboxes.deliver(try Self.event("orders.order.paid", seq: Int64(seq)))
            }
            #expect(try await group.next() == Array(1...8))
        }
    }

    @Test("a caught-up follower takes each commit's items as committed, without reading the inbox; one that missed commits reads them, in order")
    func followFromCommits() async throws {
        let inboxes = try Self.inboxes()
        try await inboxes.deliver(try Self.event("orders.order.paid", seq: 1))
        var follower = inboxes.follow(.buyer("buyer_1")).makeAsyncIterator()
        #expect(try await follower.next()?.position == 1)  // a read, short of a page: caught up
        // Item 2 committed, then marked read in the inbox: the follower hands it over as committed.
        try await inboxes.deliver(try Self.event("orders.order.paid", seq: 2))
        #expect(try await inboxes.markRead(.buyer("buyer_1"), positions: [2]) == 1)
        let pushed = try #require(try await follower.next())
        #expect(pushed.position == 2 && pushed.readAtMicros == nil)
        // Three commits before it asks again: the subscription kept the last, the follower reads 3 and 4 too.
        for seq in 3...5 { try await inboxes.deliver(try Self.event("orders.order.paid", seq: Int64(seq))) }
        #expect(try await inboxes.markRead(.buyer("buyer_1"), positions: [5]) == 1)
        var read: [InboxItem] = []
        for _ in 0..<3 { read.append(try #require(try await follower.next())) }
        #expect(read.map(\.position) == [3, 4, 5])
        #expect(read.last?.readAtMicros != nil)  // read from the inbox
    }

    @Test("a follower stops when its task is cancelled, whether before, while or after it reads a page")
    func followCancelled() async throws {
        let inboxes = try Self.inboxes()
        // Cancelled at varying points; once it landed during the page read, which threw.
        for attempt in 0..<200 {
            let task = Task { () -> Int in
                var count = 0
                for try await _ in inboxes.follow(.platform) { count += 1 }
                return count
            }
            for _ in 0..<(attempt % 8) { await Task.yield() }
            task.cancel()
            #expect(try await task.value == 0)
        }
    }

    @Test("owners round-trip through their keys")
    func ownerKeys() {
        for owner in [InboxOwner.buyer("b_1"), .seller("s:1"), .platform] {
            #expect(InboxOwner(key: owner.key) == owner)
        }
        #expect(InboxOwner(key: "buyer:") == nil && InboxOwner(key: "admin") == nil)
    }
}
