@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import Testing

/// Carrier events that match no row: kept in the history as "recorded only", the state unchanged,
/// the version raised by one, on an open case of every kind and on a closed one.
@Suite("Carrier events the machines do not move on", .serialized)
struct ServiceCarrierRecordTests {
    struct Example: Sendable, CustomTestStringConvertible {
        let kind: CaseKind
        let state: CaseState
        let event: String
        let shipment: CaseFacts.Shipment

        var testDescription: String { "\(self.kind.rawValue) \(self.state.rawValue): \(self.event) on the \(self.shipment.rawValue) shipment" }
    }

    static let examples: [Example] = [
        Example(kind: .refundOnly, state: .pendingSeller, event: "delivered", shipment: .return),
        Example(kind: .returnAndRefund, state: .returnInTransit, event: "in_transit", shipment: .return),
        // A row exists, but for another shipment.
        Example(kind: .returnAndRefund, state: .awaitingReturnShipment, event: "picked_up", shipment: .replacement),
        Example(kind: .exchange, state: .replacementShipped, event: "in_transit", shipment: .replacement),
        Example(kind: .exchange, state: .inspecting, event: "lost", shipment: .return),
        // Closed cases.
        Example(kind: .refundOnly, state: .refunded, event: "delivered", shipment: .return),
        Example(kind: .returnAndRefund, state: .closedExpired, event: "picked_up", shipment: .return),
        Example(kind: .exchange, state: .exchanged, event: "delivered", shipment: .replacement),
    ]

    @Test(arguments: examples)
    func aCarrierEventMatchingNoRowIsRecordedOnly(_ example: Example) async throws {
        try await AftersalesHarness.run { harness in
            var driver = ServiceDriver(harness, kind: example.kind)
            for step in ServicePaths.path(to: example.state, kind: example.kind)! {
                _ = try await driver.send(step)
            }
            let before = try await harness.get(driver.caseID)
            try #require(before.record.state == example.state.rawValue)
            let trail = try await harness.eventTrail(driver.caseID)

            let response = try await harness.carrier(
                driver.caseID, example.event, shipment: example.shipment.rawValue, shipmentID: ServiceDriver.shipmentID(example.shipment))

            let after = try await harness.get(driver.caseID)
            #expect(response.record.state == example.state.rawValue && after.record.state == example.state.rawValue)
            #expect(after.record.closed == before.record.closed)
            #expect(after.record.closedAtUnixMicros == before.record.closedAtUnixMicros)
            #expect(after.record.version == before.record.version + 1)
            #expect(after.history.count == before.history.count + 1)
            let entry = try #require(after.history.last)
            let event = try #require(CarrierProgress.caseEvent(example.event)).rawValue
            #expect(entry.event == event && entry.fromState == example.state.rawValue && entry.toState == example.state.rawValue)
            #expect(entry.recordedOnly && entry.seq == Int64(after.record.version))
            #expect(entry.effects == ["record carrier event"])
            #expect(after.record.timers == before.record.timers)
            #expect(try await harness.eventTrail(driver.caseID) == trail + ["changed: \(event)"])
        }
    }
}
