import AftercareLogistics
import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Testing

/// The saga-facing methods through the step ledger: replays, compensations and refusals.
@Suite("Logistics saga steps")
struct SagaStepTests {
    static func query(_ saga: SagaContext, on logistics: LogisticsHarness) async throws -> Aftercare_Common_V1_QueryStepResponse {
        var query = Aftercare_Common_V1_QueryStepRequest()
        query.sagaID = saga.sagaID
        query.step = saga.step
        return try await logistics.client.unary(StepMethods.queryStep, query)
    }

    @Test("in a saga: a replayed step answers the first result; the compensation cancels what it created")
    func sagaCreateAndCompensate() async throws {
        try await LogisticsHarness.run { logistics in
            let saga = SagaContext(sagaID: "sg_return_1", step: "create-return-shipment")
            let request = Requests.create(.return)
            let created = try await logistics.client.unary(LogisticsMethods.createShipment, request, options: .init(saga: saga))
            let replayed = try await logistics.client.unary(LogisticsMethods.createShipment, request, options: .init(saga: saga))
            #expect(replayed == created)
            var undo = saga
            undo.direction = .compensate
            let compensated = try await logistics.client.unary(LogisticsMethods.createShipment, request, options: .init(saga: undo))
            #expect(compensated.shipmentID == created.shipmentID && compensated.state == .cancelled)
            var query = Aftercare_Common_V1_QueryStepRequest()
            query.sagaID = saga.sagaID
            query.step = saga.step
            let step = try await logistics.client.unary(StepMethods.queryStep, query)
            #expect(step.forward.outcome == .done && step.compensate.outcome == .done)
            #expect(try await logistics.feedTypes() == [LogisticsEventTypes.created, LogisticsEventTypes.cancelled])
            let event = try #require(try await logistics.feed.read(afterSeq: 0, limit: 1).first)
            #expect(event.sagaID == "sg_return_1")
        }
    }

    @Test("a saga's cancel is refused once picked up, and the refusal is remembered")
    func sagaCancelRefused() async throws {
        try await LogisticsHarness.run { logistics in
            let shipment = try await logistics.create(.return)
            _ = try await logistics.advance(shipment.shipmentID)
            let saga = SagaContext(sagaID: "sg_cancel_1", step: "cancel-return-shipment")
            for _ in 0..<2 {
                let refused = await #expect(throws: RPCError.self) {
                    try await logistics.client.unary(LogisticsMethods.cancelShipment, Requests.cancel(shipment.shipmentID), options: .init(saga: saga))
                }
                #expect(refused?.code == .failedPrecondition)
            }
            var query = Aftercare_Common_V1_QueryStepRequest()
            query.sagaID = saga.sagaID
            query.step = saga.step
            #expect(try await logistics.client.unary(StepMethods.queryStep, query).forward.outcome == .refused)
        }
    }

    @Test("the compensation of a CreateShipment picked up meanwhile is refused, naming the state, and the refusal is kept")
    func compensationAfterPickUp() async throws {
        try await LogisticsHarness.run { logistics in
            let saga = SagaContext(sagaID: "sg_return_2", step: "create-return-shipment")
            let request = Requests.create(.return)
            let created = try await logistics.client.unary(LogisticsMethods.createShipment, request, options: .init(saga: saga))
            _ = try await logistics.advance(created.shipmentID)
            let before = try await logistics.dump()
            var undo = saga
            undo.direction = .compensate
            for _ in 0..<2 {
                let refused = await #expect(throws: RPCError.self) {
                    try await logistics.client.unary(LogisticsMethods.createShipment, request, options: .init(saga: undo))
                }
                #expect(refused?.code == .failedPrecondition && refused?.message.contains("is picked_up") == true)
            }
            #expect(try await logistics.get(created.shipmentID).state == .pickedUp)
            let step = try await Self.query(saga, on: logistics)
            #expect(step.forward.outcome == .done && step.compensate.outcome == .refused)
            // Only the ledger's record of the refusal was added.
            #expect(try await logistics.dump().filter { !$0.hasPrefix("step_ledger:") } == before.filter { !$0.hasPrefix("step_ledger:") })
        }
    }

    @Test("the compensation of a CreateShipment that never ran has nothing to undo")
    func compensationWithoutForward() async throws {
        try await LogisticsHarness.run { logistics in
            let undo = SagaContext(sagaID: "sg_return_3", step: "create-return-shipment", direction: .compensate)
            let answer = try await logistics.client.unary(LogisticsMethods.createShipment, Requests.create(.return), options: .init(saga: undo))
            #expect(answer == Aftercare_Logistics_V1_Shipment())
            #expect(try await Self.query(undo, on: logistics).compensate.outcome == .nothingToUndo)
            #expect(try await logistics.feedTypes().isEmpty)
        }
    }
}
