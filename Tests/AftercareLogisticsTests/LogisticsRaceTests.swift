@testable import AftercareLogistics
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Testing

/// Logistics' checks that read before they write, raced by two writers at once on PostgreSQL
/// (`TwoWriters`, each passing the gate after its write, so neither commits before the other has
/// checked and written unless a lock holds it back): at `SERIALIZABLE`, and at the driver's
/// `READ COMMITTED`, where only the row locks and unique keys keep them — so they do not hang on the isolation level. Without the
/// shipment's lock, `SERIALIZABLE` alone still numbers the history without a gap (one writer is
/// rolled back and runs again), `READ COMMITTED` answers one writer ABORTED; without the inserts'
/// `ON CONFLICT DO NOTHING`, the loser of a tracking number or a carrier event gets a constraint
/// error instead of its answer.
@Suite("Logistics concurrent writers")
struct LogisticsRaceTests {
    /// Shipments over a feed that the raced operations never write (they touch the store only).
    static func shipments() throws -> Shipments {
        let clock = ServiceClock(testMode: true, fixedStart: InMemoryService.start)
        let feed = EventFeed(source: "logistics", database: try ServiceDatabase.inMemory(migrations: .none), clock: clock)
        return Shipments(store: LogisticsStore(), feed: feed, clock: clock)
    }

    /// A shipment with its `created` entry (history entry 1), committed.
    static func created(_ shipment: ShipmentRecord, in database: any SQLDatabase, store: LogisticsStore) async throws {
        try await database.transaction { db in
            try store.insert(shipment, in: db)
            _ = try store.claim(ShipmentFixtures.tracking(shipment), atMicros: shipment.createdAtMicros, in: db)
            try store.append(
                ShipmentEventRecord(
                    shipmentID: shipment.shipmentID, kind: .created, effect: .advanced, occurredAtMicros: shipment.createdAtMicros,
                    recordedAtMicros: shipment.createdAtMicros),
                in: db)
        }
    }

    @Test("two shipments claiming one tracking number at once: one holds it, the other is ALREADY_EXISTS naming it (the unique key decides)",
        arguments: TwoWriters.Isolation.allCases)
    func trackingNumberOnce(isolation: TwoWriters.Isolation) async throws {
        let shipments = try Self.shipments()
        try await TestSQLDriver.postgres.withDatabase(migrations: .logistics) { database in
            // What CreateShipment does with a given tracking number: the shipment, then the claim.
            let outcomes = await TwoWriters.race(database, isolation: isolation) { writer, db, gate in
                let shipmentID = "shp_\(writer + 1)"
                try shipments.store.insert(ShipmentFixtures.shipment(shipmentID, tracking: "SF5000"), in: db)
                try shipments.claim(
                    carrier: "sf_express", number: "SF5000", source: .sender, for: shipmentID, field: "tracking_number", atMicros: 1_000, in: db)
                gate.pass()
                return shipmentID
            }
            let winners = outcomes.compactMap { try? $0.get() }
            let refusals = outcomes.compactMap { outcome -> RPCError? in
                guard case .failure(let error) = outcome else { return nil }
                return error as? RPCError
            }
            try #require(winners.count == 1 && refusals.count == 1)
            #expect(refusals[0].code == .alreadyExists && refusals[0].message.contains("used by shipment \(winners[0])"))
            try await database.snapshot { (db: any SQLConnection) throws in
                #expect(try shipments.store.tracking(carrier: "sf_express", number: "SF5000", in: db)?.shipmentID == winners[0])
                #expect(try shipments.store.shipments(orderID: "ord_1", caseID: nil, in: db).map(\.shipmentID) == winners)
            }
        }
    }

    @Test("two carrier events on one shipment at once: both recorded, numbered on without a gap (the shipment's lock)",
        arguments: TwoWriters.Isolation.allCases)
    func historyNumbering(isolation: TwoWriters.Isolation) async throws {
        let shipments = try Self.shipments()
        try await TestSQLDriver.postgres.withDatabase(migrations: .logistics) { database in
            try await Self.created(ShipmentFixtures.shipment("shp_1", tracking: "SF5000"), in: database, store: shipments.store)
            // What every change of a shipment does: load it for change, then append its entry.
            let outcomes = await TwoWriters.race(database, isolation: isolation) { writer, db, gate in
                let shipment = try shipments.loadForChange("shp_1", in: db)
                let entry = ShipmentFixtures.carrierEntry(shipment.shipmentID, .inTransit, eventID: "sf-\(writer + 1)", tracking: shipment.trackingNumber)
                let stored = try shipments.store.append(entry, in: db)
                gate.pass()
                return stored.seq
            }
            #expect(try outcomes.map { try $0.get() }.sorted() == [2, 3])
            let history = try await database.snapshot { db in try shipments.store.history(of: "shp_1", in: db) }
            #expect(history.map(\.seq) == [1, 2, 3])
        }
    }

    @Test("one carrier event delivered twice at once: recorded once; the other answers it as a duplicate or ABORTED (retry), never a second entry",
        arguments: TwoWriters.Isolation.allCases)
    func carrierEventOnce(isolation: TwoWriters.Isolation) async throws {
        let shipments = try Self.shipments()
        try await TestSQLDriver.postgres.withDatabase(migrations: .logistics) { database in
            try await Self.created(ShipmentFixtures.shipment("shp_1", tracking: "SF5000"), in: database, store: shipments.store)
            // What IngestCarrierEvent does: the duplicate check, then the shipment for change, then the entry.
            let outcomes = await TwoWriters.race(database, isolation: isolation) { _, db, gate in
                if let first = try shipments.store.carrierEvent(carrier: "sf_express", eventID: "sf-race", in: db) { return "duplicate of \(first.seq)" }
                let shipment = try shipments.loadForChange("shp_1", in: db)
                let entry = ShipmentFixtures.carrierEntry(shipment.shipmentID, .pickedUp, eventID: "sf-race", tracking: shipment.trackingNumber)
                let stored = try shipments.store.append(entry, in: db)
                gate.pass()
                return "recorded as \(stored.seq)"
            }
            let answers = outcomes.map { outcome in
                switch outcome {
                case .success(let answer): answer
                case .failure(let error as RPCError) where error.code == .aborted: "aborted"
                case .failure(let error): "\(error)"
                }
            }
            #expect(answers.contains("recorded as 2"))
            #expect(answers.contains("duplicate of 2") || answers.contains("aborted"))
            let history = try await database.snapshot { db in try shipments.store.history(of: "shp_1", in: db) }
            #expect(history.map(\.carrierEventID) == [nil, "sf-race"])
        }
    }
}
