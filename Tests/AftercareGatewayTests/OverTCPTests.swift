import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// The six executables as they run on several hosts: each on its own TCP port with mutual TLS
    /// (the certificate's name is still the caller's identity), no Unix socket anywhere.
    @Suite("Over TCP only")
    struct OverTCPTests {
        @Test("no Unix socket: a delivered order's relays and reviews, a refund saga's five steps, the inboxes, and a service restarted on its port")
        func wholeSystemOverTCP() async throws {
            try await GatewayWorld.run(overTCP: true) { world in
                let sockets = try FileManager.default.contentsOfDirectory(atPath: world.directory.path).filter { $0.hasSuffix(".sock") }
                #expect(sockets.isEmpty, "\(sockets)")

                // Logistics' feed reaches the gateway, which tells orders and feedback.
                let delivered = try await world.deliveredOrder([("sku_tcp", 1, 4_200)], tracking: "SFTCP0000001")
                let view = try await world.orderView(delivered.orderID) { $0.reviews.count == 1 }
                #expect(view.reviews.count == 1)

                // A refund: each step a call over TCP, each participant's span in the trace.
                let paid = try await world.paidOrder([("sku_tcp2", 1, 3_300)])
                let opened = try await world.apply(.refundOnly, paid, reason: .other)
                let refunded = try await world.caseView(opened.record.caseID, while: ["APPROVED", "REFUNDING"])
                #expect(refunded.record.state == "REFUNDED")
                let saga = try #require(refunded.sagas.first)
                #expect(saga.state == "completed")
                let trace = try await world.cli.call(OperationsMethods.getTrace, .with { $0.traceID = saga.traceID }, key: nil)
                #expect(trace.services.allSatisfy { $0.error.isEmpty }, "\(trace.services.map(\.error))")
                let served = Set(trace.services.filter { !$0.spans.isEmpty }.map(\.service))
                #expect(served.isSuperset(of: ["orders", "aftersales", "payments"]), "\(served)")

                // The buyer's inbox heard of both, through the feeds the gateway follows over TCP.
                let inbox = try await world.buyer().call(GatewayMethods.listNotifications, .with { $0.limit = 1_000 }, key: nil)
                #expect(inbox.items.contains { $0.subjects.caseID == opened.record.caseID }, "\(inbox.items.map(\.type))")

                // Payments killed and started again on the same port: the gateway reconnects.
                try await world.restart("payments", kill: true)
                let again = try await world.paidOrder([("sku_tcp3", 1, 2_100)])
                let second = try await world.apply(.refundOnly, again, reason: .other)
                let done = try await world.caseView(second.record.caseID, while: ["APPROVED", "REFUNDING"])
                #expect(done.record.state == "REFUNDED")
            }
        }
    }
}
