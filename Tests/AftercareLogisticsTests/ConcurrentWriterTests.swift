import AftercareLogistics
import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit
import GRDB
import Testing

/// A concurrent writer that commits between a call's checks and its inserts (as one can on
/// PostgreSQL), simulated on SQLite by a trigger that makes the other writer's row inside the call's
/// own transaction: the insert itself must decide, answering ALREADY_EXISTS or ABORTED — never a
/// constraint error — and the call must leave nothing behind.
@Suite("Concurrent writers")
struct ConcurrentWriterTests {
    /// Installs `trigger` (SQLite only; test fixture, not service SQL). Its statements carry a
    /// "TRIGGER" comment because the SQL log records them too, and the PostgreSQL check skips
    /// statements that name TRIGGER.
    static func install(_ trigger: String, on logistics: LogisticsHarness) async throws {
        try await logistics.database.write { db in try db.execute(sql: trigger) }
    }

    @Test("a tracking number taken after the check: CreateShipment answers ALREADY_EXISTS naming the other shipment")
    func createRace() async throws {
        try await LogisticsHarness.run { logistics in
            let other = try await logistics.create(.outbound, tracking: "SF5000000000")
            try await Self.install(
                """
                CREATE TRIGGER other_writer AFTER INSERT ON shipments WHEN NEW.tracking_number = 'SF5000000001' BEGIN
                    INSERT /* TRIGGER fixture: the other writer */ OR IGNORE INTO tracking_numbers VALUES ('sf_express', 'SF5000000001', '\(other.shipmentID)', 'sender', NULL, 0);
                END
                """, on: logistics)
            let before = try await logistics.dump()
            let refused = await #expect(throws: RPCError.self) { try await logistics.create(.outbound, tracking: "SF5000000001") }
            #expect(refused?.code == .alreadyExists)
            #expect(refused?.message.contains("tracking_number:") == true && refused?.message.contains(other.shipmentID) == true)
            #expect(try await logistics.dump() == before)
        }
    }

    @Test("a tracking number taken after the check: RegisterBuyerTracking answers ALREADY_EXISTS")
    func buyerTrackingRace() async throws {
        try await LogisticsHarness.run { logistics in
            let other = try await logistics.create(.outbound, tracking: "SF5000000002")
            let open = try await logistics.create(.return)
            try await Self.install(
                """
                CREATE TRIGGER other_writer AFTER UPDATE ON shipments WHEN NEW.shipment_id = '\(open.shipmentID)' BEGIN
                    INSERT /* TRIGGER fixture: the other writer */ OR IGNORE INTO tracking_numbers VALUES ('zto', 'ZT0000000001', '\(other.shipmentID)', 'sender', NULL, 0);
                END
                """, on: logistics)
            let before = try await logistics.dump()
            let refused = await #expect(throws: RPCError.self) {
                try await logistics.client.unary(
                    LogisticsMethods.registerBuyerTracking, Requests.buyerTracking(open.shipmentID), options: .init(idempotencyKey: "b"))
            }
            #expect(refused?.code == .alreadyExists && refused?.message.contains(other.shipmentID) == true)
            #expect(try await logistics.dump() == before)
        }
    }

    @Test("a carrier event recorded by another writer after the duplicate check: ABORTED, nothing written")
    func carrierEventRace() async throws {
        try await LogisticsHarness.run { logistics in
            let shipment = try await logistics.create(.outbound, tracking: "SF5000000003")
            try await Self.install(
                """
                CREATE TRIGGER other_writer AFTER UPDATE ON shipments WHEN NEW.shipment_id = '\(shipment.shipmentID)' BEGIN
                    INSERT /* TRIGGER fixture: the other writer */ OR IGNORE INTO shipment_events VALUES (
                        '\(shipment.shipmentID)', 99, 'picked_up', 'advanced', 'sf_express', 'sf-race', 'SF5000000003', 1, 1, '', '', '');
                END
                """, on: logistics)
            let before = try await logistics.dump()
            let refused = await #expect(throws: RPCError.self) { try await logistics.ingest(shipment, .pickedUp, id: "sf-race") }
            #expect(refused?.code == .aborted && refused?.message.contains("sf-race") == true)
            #expect(try await logistics.dump() == before)
        }
    }
}
