import AftercareLogistics
import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Testing

/// The built-in carrier: commands become carrier events through the ingestion path.
@Suite("Carrier simulator")
struct CarrierSimulatorTests {
    @Test("a command with a carrier event id, retried, is a duplicate event; `to` and a time simulate a late event")
    func retriedAndLate() async throws {
        try await LogisticsHarness.run { logistics in
            let shipment = try await logistics.create(.backToBuyer, carrier: "zto", tracking: "ZT0000000009")
            var command = Aftercare_Logistics_V1_AdvanceShipmentRequest()
            command.shipmentID = shipment.shipmentID
            command.to = .delivered
            command.carrierEventID = "zto-sim-2"
            let first = try await logistics.client.unary(CarrierSimulatorMethods.advanceShipment, command)
            try logistics.clock.advance(byMicros: 5_000_000)
            let retried = try await logistics.client.unary(CarrierSimulatorMethods.advanceShipment, command)
            #expect(first.event.effect == .advancedPickUpImplied && !first.duplicate)
            #expect(retried.duplicate && retried.event == first.event)

            command.to = .pickedUp
            command.carrierEventID = "zto-sim-1"
            command.occurredAtUnixMicros = first.event.occurredAtUnixMicros - 60_000_000
            let late = try await logistics.client.unary(CarrierSimulatorMethods.advanceShipment, command)
            #expect(late.event.effect == .historyOnly && late.shipment.state == .delivered)
            #expect(late.event.carrier == "zto" && late.event.trackingNumber == "ZT0000000009")
        }
    }

    @Test("the executable refuses commands when simulator.enabled is false")
    func disabled() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let service = try await ServiceProcess.start("logistics", in: directory, arguments: ["--simulator-enabled", "false"])
        defer { service.kill() }
        try await service.withClient { client in
            let shipment = try await client.unary(
                LogisticsMethods.createShipment, Requests.create(.outbound, tracking: "SF4000000001"), options: .init(idempotencyKey: "c"))
            var command = Aftercare_Logistics_V1_AdvanceShipmentRequest()
            command.shipmentID = shipment.shipmentID
            let refused = await #expect(throws: RPCError.self) {
                try await client.unary(CarrierSimulatorMethods.advanceShipment, command)
            }
            #expect(refused?.code == .failedPrecondition && refused?.message.contains("simulator.enabled") == true)
        }
    }
}
