@testable import AftercareExampleOrder
import AftercareAftersalesAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareTesting
import Testing

/// All six executables: the gateway follows the services' feeds and runs the saga a case asks for,
/// with no one calling it.
@Suite("The gateway with the five services")
struct GatewayJourneyTests {
    @Test("the seller approves a return; the gateway's Return setup reserves the refund, makes the label and moves the case on; after kill -9 the restarted gateway runs the cancellation and nothing twice")
    func returnSetupByTheGateway() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var services = try await OrderJourneyTests.start(in: directory)
        let peers = GatewayPeers.arguments(in: directory)
        var gateway = try await ServiceProcess.start("gateway", in: directory, arguments: peers)
        let caseID = try await OrderJourneyTests.withClients(services) { orders, payments, logistics, aftersales, feedback in
            let outcome = try await OrderJourney(
                orders: orders, payments: payments, logistics: logistics, aftersales: aftersales, feedback: feedback) { _ in }
                .run(tag: "70000000000001")
            let caseID = outcome.returnApproved.record.caseID
            let moved = try await Self.waitWhile(["APPROVED"], caseID, aftersales)
            #expect(moved.record.state == "AWAITING_RETURN_SHIPMENT")
            #expect(moved.history.last?.sagaID.hasPrefix("return-setup-") == true)
            #expect(moved.record.returnShipment.shipmentID.hasPrefix("shp_"))
            var reservation = Aftercare_Orders_V1_GetReservationRequest()
            reservation.caseID = caseID
            let held = try await orders.unary(OrdersMethods.getReservation, reservation).reservation
            #expect(held.amount.amountMinor == outcome.returnApproved.record.amount.amountMinor)
            return caseID
        }
        gateway.kill()
        gateway = try await ServiceProcess.start("gateway", in: directory, arguments: peers)
        try await OrderJourneyTests.withClients(services) { orders, _, _, aftersales, _ in
            // The buyer withdraws: the restarted gateway runs Return cancellation. Events are handled
            // in feed order, so once that saga has closed the case, the restarted gateway has read
            // past the old request for Return setup, which must not have run again.
            var get = Aftercare_Aftersales_V1_GetCaseRequest()
            get.caseID = caseID
            var withdraw = Aftercare_Aftersales_V1_CaseActionRequest()
            withdraw.caseID = caseID
            withdraw.actorID = try await aftersales.unary(AftersalesMethods.getCase, get).record.buyerID
            withdraw.version = try await aftersales.unary(AftersalesMethods.getCase, get).record.version
            let cancelling = try await aftersales.unary(AftersalesMethods.withdraw, withdraw, options: .init(idempotencyKey: "withdraw-1"))
            #expect(cancelling.record.state == "RETURN_CANCELLING")
            let closed = try await Self.waitWhile(["RETURN_CANCELLING"], caseID, aftersales)
            #expect(closed.record.state == "CLOSED_WITHDRAWN")
            #expect(closed.history.filter { $0.event.hasPrefix("saga Return setup") }.count == 1)
            var reservation = Aftercare_Orders_V1_GetReservationRequest()
            reservation.caseID = caseID
            #expect(try await orders.unary(OrdersMethods.getReservation, reservation).reservation.status == .released)
        }
        #expect(try await gateway.stop() == 0)
        services.append(gateway)
        for service in services.dropLast() { #expect(try await service.stop() == 0) }
    }

    /// Polls the case (up to 20 s) while it is in one of `states`.
    static func waitWhile(_ states: Set<String>, _ caseID: String, _ aftersales: RPCClient) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        var request = Aftercare_Aftersales_V1_GetCaseRequest()
        request.caseID = caseID
        let deadline = ContinuousClock.now + .seconds(20)
        var response = try await aftersales.unary(AftersalesMethods.getCase, request)
        while states.contains(response.record.state) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            response = try await aftersales.unary(AftersalesMethods.getCase, request)
        }
        return response
    }
}

/// The gateway's flags naming each service's socket in a test directory.
enum GatewayPeers {
    static func arguments(in directory: TemporaryDirectory) -> [String] {
        ["orders", "payments", "logistics", "aftersales", "feedback"].flatMap { ["--gateway-peers-\($0)", "unix:" + directory.appending("\($0).sock")] }
    }
}
