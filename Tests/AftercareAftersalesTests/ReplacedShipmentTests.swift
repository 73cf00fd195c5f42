@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import Testing

/// A lost replacement may still be scanned after a new one was shipped: Carrier progress records
/// that news (its pivot is its only step, retried until done), so it is kept, never refused, and
/// moves nothing.
@Suite("Carrier events on a shipment the case replaced")
struct ReplacedShipmentTests {
    typealias Harness = AftersalesHarness

    /// An exchange whose first replacement `shp_r1` was lost and whose second, `shp_r2`, is shipped.
    static func reshipped(_ harness: Harness) async throws -> String {
        let caseID = try await harness.open(Fixtures.application(.exchange)).record.caseID
        _ = try await harness.act(AftersalesMethods.approve, caseID, by: "seller_1")
        _ = try await harness.shipment(AftersalesMethods.recordAwaitingReturn, caseID, shipmentID: "shp_return")
        _ = try await harness.carrier(caseID, "delivered")
        try harness.advance(days: 7)
        _ = try await harness.shipment(AftersalesMethods.recordReplacementShipped, caseID, shipmentID: "shp_r1", saga: "fulfil-1")
        _ = try await harness.carrier(caseID, "lost", shipment: "replacement", shipmentID: "shp_r1")
        let shipped = try await harness.shipment(AftersalesMethods.recordReplacementShipped, caseID, shipmentID: "shp_r2", saga: "fulfil-2")
        #expect(shipped.record.state == "REPLACEMENT_SHIPPED")
        return caseID
    }

    @Test("the lost replacement's late delivery is kept in the history only; the new one's delivery exchanges")
    func lateNewsOfTheLostReplacement() async throws {
        try await Harness.run { harness in
            let caseID = try await Self.reshipped(harness)
            let before = try await harness.get(caseID)
            let late = try await harness.carrier(caseID, "delivered", shipment: "replacement", shipmentID: "shp_r1")
            #expect(late.record.state == "REPLACEMENT_SHIPPED" && late.record.version == before.record.version + 1)
            #expect(late.record.replacementShipment.shipmentID == "shp_r2" && late.record.replacementShipment.lastEvent == "")
            #expect(late.history.last?.recordedOnly == true && late.history.last?.note.contains("shp_r1") == true)
            let exchanged = try await harness.carrier(caseID, "delivered", shipment: "replacement", shipmentID: "shp_r2")
            #expect(exchanged.record.state == "EXCHANGED")
            let closedLate = try await harness.carrier(caseID, "in_transit", shipment: "replacement", shipmentID: "shp_r1")
            #expect(closedLate.record.state == "EXCHANGED" && closedLate.history.last?.recordedOnly == true)
        }
    }

    @Test("a shipment the case never heard of is still refused naming shipment_id, the database unchanged")
    func unknownShipment() async throws {
        try await Harness.run { harness in
            let caseID = try await Self.reshipped(harness)
            let before = try await harness.dump()
            let error = await #expect(throws: RPCError.self) {
                _ = try await harness.carrier(caseID, "delivered", shipment: "replacement", shipmentID: "shp_elsewhere")
            }
            #expect(error?.code == .invalidArgument && error?.message.contains("shipment_id") == true)
            #expect(try await harness.dump() == before)
        }
    }
}
