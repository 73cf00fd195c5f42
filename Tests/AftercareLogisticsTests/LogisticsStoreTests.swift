@testable import AftercareLogistics
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Testing

/// Logistics' store, the same code on both drivers of the database layer: SQLite (GRDB) and
/// PostgreSQL (postgres-nio, a throw-away server of the test process's own).
@Suite("Logistics store")
struct LogisticsStoreTests {
    let store = LogisticsStore()

    @Test("shipments and tracking numbers: inserted, claimed once, locked, updated, voided, found and listed alike on both drivers", arguments: TestSQLDriver.allCases)
    func shipments(driver: TestSQLDriver) async throws {
        let store = self.store
        try await driver.withDatabase(migrations: .logistics) { database in
            let label = ShipmentFixtures.shipment("shp_1", kind: .return, tracking: "SF1000")
            let outbound = ShipmentFixtures.shipment("shp_2", tracking: "SF2000", caseID: "", at: 500)
            let other = ShipmentFixtures.shipment("shp_3", kind: .replacement, tracking: "SF3000", caseID: "case_2", at: 2_000)
            let claims = try await database.transaction { db in
                var claims: [Bool] = []
                for shipment in [label, outbound, other] {
                    try store.insert(shipment, in: db)
                    claims.append(try store.claim(ShipmentFixtures.tracking(shipment), atMicros: shipment.createdAtMicros, in: db))
                }
                var taken = ShipmentFixtures.tracking(other)
                taken.trackingNumber = "SF1000"
                claims.append(try store.claim(taken, atMicros: 3_000, in: db))
                return claims
            }
            #expect(claims == [true, true, true, false])
            var buyers = label
            buyers.label?.voidedAtMicros = 4_000
            buyers.carrier = "zto"
            buyers.trackingNumber = "ZT1000"
            buyers.trackingSource = .buyer
            buyers.updatedAtMicros = 4_000
            let registered = buyers
            let locked = try await database.transaction { db in
                let locked = [try store.lockShipment("shp_1", in: db), try store.lockShipment("shp_9", in: db)]
                try store.voidTracking(carrier: "sf_express", number: "SF1000", atMicros: 4_000, in: db)
                _ = try store.claim(ShipmentFixtures.tracking(registered), atMicros: 4_000, in: db)
                try store.update(registered, in: db)
                return locked
            }
            #expect(locked == [true, false])
            try await database.snapshot { (db: any SQLConnection) throws in
                #expect(try store.shipment("shp_1", in: db) == registered)
                #expect(try store.shipment("shp_2", in: db) == outbound)
                #expect(try store.shipment("shp_9", in: db) == nil)
                #expect(try store.shipments(orderID: "ord_1", caseID: nil, in: db).map(\.shipmentID) == ["shp_2", "shp_1", "shp_3"])
                #expect(try store.shipments(orderID: "ord_1", caseID: "case_2", in: db) == [other])
                #expect(try store.shipments(orderID: "ord_2", caseID: nil, in: db).isEmpty)
                #expect(
                    try store.tracking(carrier: "sf_express", number: "SF1000", in: db)
                        == TrackingRecord(carrier: "sf_express", trackingNumber: "SF1000", shipmentID: "shp_1", source: .label, voidedAtMicros: 4_000))
                #expect(try store.tracking(carrier: "zto", number: "ZT1000", in: db)?.source == .buyer)
                #expect(try store.tracking(carrier: "zto", number: "SF1000", in: db) == nil)
            }
        }
    }

    @Test("history: numbered 1, 2, 3 per shipment, a carrier event once per carrier (ABORTED, not a constraint error), alike on both drivers", arguments: TestSQLDriver.allCases)
    func history(driver: TestSQLDriver) async throws {
        let store = self.store
        try await driver.withDatabase(migrations: .logistics) { database in
            let first = ShipmentFixtures.shipment("shp_1", tracking: "SF1000")
            let second = ShipmentFixtures.shipment("shp_2", tracking: "SF2000")
            let created = ShipmentEventRecord(shipmentID: "shp_1", kind: .created, effect: .advanced, occurredAtMicros: 1_000, recordedAtMicros: 1_000)
            let stored = try await database.transaction { db in
                try store.insert(first, in: db)
                try store.insert(second, in: db)
                return [
                    try store.append(created, in: db),
                    try store.append(ShipmentFixtures.carrierEntry("shp_1", .pickedUp, eventID: "sf-1", tracking: "SF1000"), in: db),
                    try store.append(ShipmentFixtures.carrierEntry("shp_2", .pickedUp, eventID: "sf-2", tracking: "SF2000"), in: db),
                    try store.append(ShipmentFixtures.carrierEntry("shp_1", .delivered, eventID: "sf-3", tracking: "SF1000"), in: db),
                ]
            }
            #expect(stored.map(\.seq) == [1, 2, 1, 3])
            let again = await #expect(throws: RPCError.self) {
                try await database.transaction { db in
                    try store.append(ShipmentFixtures.carrierEntry("shp_2", .delivered, eventID: "sf-1", tracking: "SF2000"), in: db)
                }
            }
            #expect(again?.code == .aborted && again?.message.contains("sf-1") == true)
            try await database.snapshot { (db: any SQLConnection) throws in
                #expect(try store.history(of: "shp_1", in: db) == [stored[0], stored[1], stored[3]])
                #expect(try store.history(of: "shp_2", in: db) == [stored[2]])
                #expect(try store.carrierEvent(carrier: "sf_express", eventID: "sf-1", in: db) == stored[1])
                #expect(try store.carrierEvent(carrier: "zto", eventID: "sf-1", in: db) == nil)
            }
        }
    }
}
