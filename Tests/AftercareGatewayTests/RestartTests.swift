import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// A routine restart (SIGTERM, then the same executable again) while sagas run: each service is
    /// back SERVING within 2 s, and the sagas finish well inside their back-off budget.
    @Suite("Restarts nobody notices")
    struct RestartTests {
        static let services = ["orders", "payments", "logistics", "aftersales", "feedback", "gateway"]

        @Test("each of the six restarted while refund sagas run: SERVING again within 2 s, every saga completes in at most 5 of its 8 attempts")
        func restartEach() async throws {
            try await GatewayWorld.run { world in
                var orders: [String: Aftercare_Orders_V1_Order] = [:]
                for service in Self.services {
                    orders[service] = try await world.paidOrder([("sku_restart_\(service)", 1, 2_000)])
                }
                var took: [String: Duration] = [:]
                for service in Self.services {
                    // A refund saga starts from the case's event; the restart catches it in flight.
                    let application = GatewayWorld.application(.refundOnly, orders[service]!, reason: .other, replacementSKU: "")
                    _ = try await world.buyer().persist(GatewayMethods.apply, application, key: "apply-restart-\(service)")
                    let started = ContinuousClock.now
                    try await world.restart(service)
                    took[service] = ContinuousClock.now - started
                }
                let times = "restart times (SIGTERM to SERVING): " + took.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print(times)
                #expect(took.values.allSatisfy { $0 < .seconds(2) }, "\(times)")

                let deadline = ContinuousClock.now + .seconds(30)
                var sagas = try await world.cli.persist(OperationsMethods.listSagas, .with { $0.definition = "Refund" }, key: nil).sagas
                while sagas.contains(where: { $0.state != "completed" }) || sagas.count < Self.services.count, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                    sagas = try await world.cli.persist(OperationsMethods.listSagas, .with { $0.definition = "Refund" }, key: nil).sagas
                }
                #expect(sagas.count == Self.services.count && sagas.allSatisfy { $0.state == "completed" }, "\(sagas.map { "\($0.sagaID) \($0.state) \($0.step)" })")
                for saga in sagas {
                    let attempts = try await world.cli.persist(OperationsMethods.getSaga, .with { $0.sagaID = saga.sagaID }, key: nil).attempts
                    let most = attempts.map(\.attempt).max() ?? 0
                    #expect(most <= 5, "\(saga.sagaID): \(attempts.map { "\($0.step) #\($0.attempt) \($0.result)" })")
                }
            }
        }
    }
}
