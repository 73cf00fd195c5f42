import AftercareLogistics
import AftercareServiceKit
import AftercareTesting
import Testing

/// Logistics' migrations, registered once, on both drivers: the identifiers SQLite files were
/// migrated under, every table taking a row, and the constraints the store relies on.
@Suite("Logistics migrations")
struct LogisticsMigrationTests {
    @Test("the identifiers of the shipped migrations, in order (a file migrated before re-runs none of them)")
    func identifiers() {
        #expect(SQLMigrations.logistics.migrations.map(\.identifier) == ["logistics-v1"])
    }

    @Test("every table takes a row; a tracking number and a carrier event id are unique per carrier, on both drivers", arguments: TestSQLDriver.allCases)
    func everyTable(driver: TestSQLDriver) async throws {
        try await driver.withDatabase(migrations: .logistics) { database in
            let inserted = try await database.transaction { db in
                [
                    try db.execute(
                        """
                        INSERT INTO shipments (
                            shipment_id, kind, state, order_id, case_id, buyer_id, seller_id, carrier, tracking_number, tracking_source,
                            label_carrier, label_tracking_number, label_created_at, label_voided_at, sender_address, recipient_address,
                            cancel_reason, picked_up_at, delivered_at, created_at, updated_at
                        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        [
                            "shp_1", "return", "label_created", "ord_1", "cas_1", "buyer_1", "seller_1", "sf_express", "SF1000", "label", "sf_express",
                            "SF1000", Int64(1), Int64?.none, "from", "to", "", Int64?.none, Int64?.none, Int64(1), Int64(1),
                        ]),
                    try db.execute(
                        "INSERT INTO tracking_numbers (carrier, tracking_number, shipment_id, source, voided_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                        ["sf_express", "SF1000", "shp_1", "label", Int64?.none, Int64(1)]),
                    try db.execute(
                        """
                        INSERT INTO shipment_events (
                            shipment_id, seq, kind, effect, carrier, carrier_event_id, tracking_number, occurred_at, recorded_at, location,
                            description, note
                        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        ["shp_1", Int64(1), "picked_up", "advanced", "sf_express", "sf-1", "SF1000", Int64(1), Int64(1), "", "", ""]),
                ]
            }
            #expect(inserted == [1, 1, 1])
            let duplicates = try await database.transaction { db in
                [
                    try db.execute(
                        "INSERT INTO tracking_numbers (carrier, tracking_number, shipment_id, source, voided_at, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        ["sf_express", "SF1000", "shp_1", "sender", Int64?.none, Int64(2)]),
                    try db.execute(
                        """
                        INSERT INTO shipment_events (
                            shipment_id, seq, kind, effect, carrier, carrier_event_id, tracking_number, occurred_at, recorded_at, location,
                            description, note
                        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                        """,
                        ["shp_1", Int64(2), "delivered", "advanced", "sf_express", "sf-1", "SF1000", Int64(2), Int64(2), "", "", ""]),
                ]
            }
            #expect(duplicates == [0, 0])
        }
    }
}
