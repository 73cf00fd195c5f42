@testable import AftercareAftersales
import AftercareServiceKit
import AftercareTesting
import Testing

/// Aftersales' store, the same code on both drivers of the database layer: SQLite (GRDB) and
/// PostgreSQL (postgres-nio, a throw-away server of the test process's own).
@Suite("Aftersales store")
struct AftersalesStoreTests {
    let store = AftersalesStore()

    @Test("cases: inserted with their lines, locked, updated, read back whole, listed and counted alike on both drivers", arguments: TestSQLDriver.allCases)
    func cases(driver: TestSQLDriver) async throws {
        let store = self.store
        try await driver.withDatabase(migrations: .aftersales) { database in
            var progressed = StoreFixtures.caseRecord("cas_1", lines: ["line_1", "line_2"])
            progressed.carrierProgress = ["shp_1": "picked_up"]
            let first = progressed
            let second = StoreFixtures.caseRecord("cas_2", lines: ["line_1"], state: .pendingSeller)
            let third = StoreFixtures.caseRecord("cas_3", order: "ord_2", state: .closedWithdrawn)
            try await database.transaction { db in
                for record in [first, second, third] { try store.insert(record, in: db) }
                // A line's lock is its row, made the first time and taken again after.
                for _ in 1...2 { try store.lockLine(orderID: "ord_1", lineID: "line_1", in: db) }
            }
            var refunded = first
            refunded.state = .refunded
            refunded.version = 4
            refunded.refundID = "ref_1"
            refunded.closedAtMicros = 2_000
            let closed = refunded
            let locked = try await database.transaction { db in
                let locked = [try store.lockCase("cas_1", in: db), try store.lockCase("cas_9", in: db)]
                try store.update(closed, in: db)
                return locked
            }
            #expect(locked == [true, false])
            try await database.snapshot { (db: any SQLConnection) throws in
                #expect(try store.caseRecord("cas_1", in: db) == closed)
                #expect(try store.caseRecord("cas_9", in: db) == nil)
                #expect(try store.cases(.buyer, "buyer_1", filter: .all, before: nil, limit: 10, in: db).map(\.caseID) == ["cas_3", "cas_2", "cas_1"])
                #expect(try store.cases(.buyer, "buyer_1", filter: .open, before: nil, limit: 10, in: db).map(\.caseID) == ["cas_2"])
                #expect(try store.cases(.seller, "seller_1", filter: .closed, before: nil, limit: 10, in: db).map(\.caseID) == ["cas_3", "cas_1"])
                #expect(try store.cases(.order, "ord_1", filter: .state(.refunded), before: nil, limit: 10, in: db).map(\.caseID) == ["cas_1"])
                #expect(try store.cases(.buyer, "buyer_1", filter: .all, before: "cas_3", limit: 1, in: db).map(\.caseID) == ["cas_2"])
                let onFirstLine = try store.casesOnLine(orderID: "ord_1", lineID: "line_1", in: db)
                #expect(onFirstLine.count == 2 && onFirstLine.open == ["cas_2"])
                let onSecondLine = try store.casesOnLine(orderID: "ord_1", lineID: "line_2", in: db)
                #expect(onSecondLine.count == 1 && onSecondLine.open.isEmpty)
                #expect(try store.casesOnLine(orderID: "ord_2", lineID: "line_2", in: db).count == 0)
                let counts = try store.openCaseCounts(in: db)
                #expect(counts.map { "\($0.kind) \($0.state) \($0.count)" } == ["refund_only PENDING_SELLER 1"])
            }
        }
    }

    @Test("history, evidence and timers: in order, timers saved over, due ones found, alike on both drivers", arguments: TestSQLDriver.allCases)
    func historyEvidenceTimers(driver: TestSQLDriver) async throws {
        let store = self.store
        try await driver.withDatabase(migrations: .aftersales) { database in
            var opened = StoreFixtures.entry(1, "opened")
            opened.effects = ["start timer T_seller"]
            opened.sagaID = "saga_1"
            let written = opened
            let photo = EvidenceRecord(
                evidenceID: "evd_2", caseID: "cas_1", kind: .photo, uri: "https://evidence.example/1.jpg", sha256: "ab", text: "", party: .buyer,
                uploaderID: "buyer_1", stage: .requested, addedAtMicros: 10)
            var text = photo
            text.evidenceID = "evd_1"
            text.kind = .text
            text.text = "the seam"
            text.addedAtMicros = 20
            let note = text
            let evidence = [note, photo]
            let seller = TimerRecord(caseID: "cas_1", timer: .seller, status: .running, startedAtMicros: 10, deadlineMicros: 100)
            let ship = TimerRecord(caseID: "cas_1", timer: .ship, status: .running, startedAtMicros: 20, deadlineMicros: 50)
            let other = TimerRecord(caseID: "cas_2", timer: .offer, status: .running, startedAtMicros: 5, deadlineMicros: 70)
            try await database.transaction { db in
                try store.append(StoreFixtures.entry(2), caseID: "cas_1", in: db)
                try store.append(written, caseID: "cas_1", in: db)
                try store.append(StoreFixtures.entry(1), caseID: "cas_2", in: db)
                for item in evidence { try store.insert(item, in: db) }
                for timer in [seller, ship, other] { try store.save(timer, in: db) }
                var stopped = ship
                stopped.status = .stopped
                stopped.endedAtMicros = 30
                try store.save(stopped, in: db)
            }
            try await database.snapshot { (db: any SQLConnection) throws in
                #expect(try store.history("cas_1", in: db) == [written, StoreFixtures.entry(2)])
                #expect(try store.evidence("cas_1", in: db) == [photo, note])
                #expect(try store.evidence("cas_2", in: db).isEmpty)
                let timers = try store.timers("cas_1", in: db)
                #expect(timers.map(\.timer) == [.seller, .ship])
                #expect(timers.last?.status == .stopped && timers.last?.endedAtMicros == 30)
                #expect(try store.dueTimers(atMicros: 100, limit: 10, in: db) == [other, seller])
                #expect(try store.dueTimers(atMicros: 100, limit: 1, in: db) == [other])
                #expect(try store.dueTimers(atMicros: 60, limit: 10, in: db).isEmpty)
            }
        }
    }

    @Test("decisions, policies and carrier events: kept once, found by id and time, alike on both drivers", arguments: TestSQLDriver.allCases)
    func decisionsAndCarrierEvents(driver: TestSQLDriver) async throws {
        let store = self.store
        let policy = ReviewPolicy.builtIn
        let decision = policy.decide(StoreFixtures.caseRecord("cas_1").facts)
        try await driver.withDatabase(migrations: .aftersales) { database in
            try await database.transaction { db in
                for (index, at) in [Int64(10), 20, 30].enumerated() {
                    try store.insert(decisionID: "dec_\(index)", caseID: "cas_1", decision, atMicros: at, in: db)
                    try store.keep(policy, atMicros: at, in: db)
                }
                try store.keepCarrierEvent("sf-1", caseID: "cas_1", seq: 3, in: db)
                try store.keepCarrierEvent("sf-1", caseID: "cas_2", seq: 4, in: db)
            }
            try await database.snapshot { (db: any SQLConnection) throws in
                let found = try #require(try store.decision("dec_1", in: db))
                #expect(found.caseID == "cas_1" && found.decidedAtMicros == 20 && found.decision == decision)
                #expect(try store.decision("dec_9", in: db) == nil)
                #expect(try store.decisions(fromMicros: nil, toMicros: nil, limit: 10, in: db).map(\.decisionID) == ["dec_2", "dec_1", "dec_0"])
                #expect(try store.decisions(fromMicros: 20, toMicros: 30, limit: 10, in: db).map(\.decisionID) == ["dec_1"])
                #expect(try store.decisions(fromMicros: 10, toMicros: nil, limit: 1, in: db).map(\.decisionID) == ["dec_2"])
                #expect(try store.policySource(fingerprint: policy.fingerprint, in: db) == policy.source)
                #expect(try store.policySource(fingerprint: "unknown", in: db) == nil)
                #expect(try store.carrierEventCase("sf-1", in: db) == "cas_1")
                #expect(try store.carrierEventCase("sf-2", in: db) == nil)
            }
        }
    }
}
