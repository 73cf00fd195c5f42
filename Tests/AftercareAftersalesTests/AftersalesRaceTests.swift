@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Testing

/// Aftersales' checks that read before they write, raced by two writers at once on PostgreSQL
/// (`TwoWriters`, each passing the gate after its write, so neither commits before the other has
/// checked and written unless a lock holds it back): at `SERIALIZABLE`, and at the driver's
/// `READ COMMITTED`, where only the row locks keep them — so they do not hang on the isolation level. Without the line's lock,
/// `SERIALIZABLE` alone still keeps one case open per line (one opener is rolled back and runs
/// again), `READ COMMITTED` opens two; without the case's lock, both writers number their entry
/// alike at either level, and the second fails on the history's key.
@Suite("Aftersales concurrent writers")
struct AftersalesRaceTests {
    /// Cases over a feed that the raced operations never write (they touch the store only).
    static func cases() throws -> Cases {
        let clock = ServiceClock(testMode: true, fixedStart: InMemoryService.start)
        let feed = EventFeed(source: "aftersales", database: try ServiceDatabase.inMemory(migrations: .none), clock: clock)
        return Cases(store: AftersalesStore(), feed: feed, clock: clock, policy: .builtIn)
    }

    @Test(
        "two applications on one line with four cases closed: one opens as the fifth, the other is refused naming it (the line's lock)",
        arguments: TwoWriters.Isolation.allCases)
    func oneOpenCasePerLine(isolation: TwoWriters.Isolation) async throws {
        let cases = try Self.cases()
        let application = try AftersalesRequestCheck.openCase(Fixtures.application(.refundOnly))
        try await TestSQLDriver.postgres.withDatabase(migrations: .aftersales) { database in
            try await database.transaction { db in
                for index in 1...4 { try cases.store.insert(StoreFixtures.caseRecord("cas_0\(index)", state: .closedWithdrawn), in: db) }
            }
            // What Cases.open does up to its insert: the lines' facts (locks, counts, the open-case check).
            let outcomes = await TwoWriters.race(database, isolation: isolation) { writer, db, gate in
                let lines = try cases.lineFacts(of: application, in: db)
                try cases.store.insert(StoreFixtures.caseRecord("cas_\(writer + 1)"), in: db)
                gate.pass()
                return lines[0].casesBefore
            }
            let opened = outcomes.compactMap { try? $0.get() }
            let refusals = outcomes.compactMap { outcome -> RPCError? in
                guard case .failure(let error) = outcome else { return nil }
                return error as? RPCError
            }
            #expect(opened == [4])
            #expect(refusals.count == 1 && refusals.first?.code == .failedPrecondition)
            #expect(refusals.first?.message.contains("line line_1 already has case cas_") == true)
            let onLine = try await database.snapshot { db in try cases.store.casesOnLine(orderID: "ord_1", lineID: "line_1", in: db) }
            #expect(onLine.count == 5 && onLine.open.count == 1)
        }
    }

    @Test("two writers of one case at once: both history entries kept, numbered on from the case's version without a gap (the case's lock)",
        arguments: TwoWriters.Isolation.allCases)
    func historyNumbering(isolation: TwoWriters.Isolation) async throws {
        let cases = try Self.cases()
        try await TestSQLDriver.postgres.withDatabase(migrations: .aftersales) { database in
            try await database.transaction { db in
                var record = StoreFixtures.caseRecord("cas_1")
                try cases.store.insert(record, in: db)
                _ = try cases.appendEntry("opened", actor: "buyer", actorID: "buyer_1", to: &record, from: "", context: nil, in: db)
                try cases.store.update(record, in: db)
            }
            // What every change of a case does: load it for change, then write its next entry.
            let outcomes = await TwoWriters.race(database, isolation: isolation) { _, db, gate in
                var record = try cases.loadForChange("cas_1", in: db)
                let entry = try cases.appendEntry("evidence added", actor: "buyer", actorID: "buyer_1", to: &record, context: nil, in: db)
                try cases.store.update(record, in: db)
                gate.pass()
                return entry.seq
            }
            #expect(try outcomes.map { try $0.get() }.sorted() == [2, 3])
            try await database.snapshot { (db: any SQLConnection) throws in
                #expect(try cases.store.history("cas_1", in: db).map(\.seq) == [1, 2, 3])
                #expect(try cases.store.caseRecord("cas_1", in: db)?.version == 3)
            }
        }
    }
}
