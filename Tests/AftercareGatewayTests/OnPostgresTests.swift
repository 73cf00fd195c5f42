import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareServiceRuntime
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// The executables on PostgreSQL (`database.url`), each on a database of its own on the test
    /// process's server.
    @Suite("On PostgreSQL")
    struct OnPostgresTests {
        /// The six, each on a database of its own.
        static let onPostgres = ["orders", "payments", "logistics", "aftersales", "feedback", "gateway"]

        @Test("all six on PostgreSQL: a review, a refund saga and the inboxes; the gateway SIGKILLed and started again on its database")
        func onPostgres() async throws {
            try await GatewayWorld.run(onPostgres: true) { world in
                #expect(Set(world.databaseURLs.keys) == Set(Self.onPostgres))
                // Logistics' feed reaches the gateway, which tells feedback: a review on PostgreSQL.
                let delivered = try await world.deliveredOrder([("sku_pg", 1, 4_200)], tracking: "SFPG00000001")
                let view = try await world.orderView(delivered.orderID) { $0.reviews.count == 1 }
                #expect(view.reviews.count == 1)

                // A refund: the saga log, the case index and the intents on PostgreSQL.
                let paid = try await world.paidOrder([("sku_pg2", 1, 3_300)])
                let opened = try await world.apply(.refundOnly, paid, reason: .other)
                let refunded = try await world.caseView(opened.record.caseID, while: ["APPROVED", "REFUNDING"])
                #expect(refunded.record.state == "REFUNDED")
                #expect(refunded.sagas.first?.state == "completed")
                // The router files the case's notifications from the feeds, after the case moved.
                let inbox = try await Self.inbox(world, until: { $0.items.contains { $0.subjects.caseID == opened.record.caseID } })
                #expect(inbox.items.contains { $0.subjects.caseID == opened.record.caseID }, "\(inbox.items.map(\.type))")

                // Killed and started again on the same database: the log, cursors and inboxes are there.
                try await world.restart("gateway", kill: true)
                let again = try await world.caseView(opened.record.caseID)
                #expect(again.sagas.first?.state == "completed")
                let after = try await world.buyer().call(GatewayMethods.listNotifications, .with { $0.limit = 1_000 }, key: nil)
                #expect(Array(after.items.prefix(inbox.items.count)).map(\.eventID) == inbox.items.map(\.eventID))
                let second = try await world.apply(.refundOnly, try await world.paidOrder([("sku_pg3", 1, 2_100)]), reason: .other)
                let done = try await world.caseView(second.record.caseID, while: ["APPROVED", "REFUNDING"])
                #expect(done.record.state == "REFUNDED")
                let health = try await world.cli.call(OperationsMethods.systemHealth, .init(), key: nil)
                for service in health.services where Self.onPostgres.contains(service.service) {
                    let database = service.health.checks.first { $0.name == "database" }
                    #expect(database?.detail.hasPrefix("postgresql ") == true, "\(service.service): \(String(describing: database))")
                }
            }
        }

        @Test("two gateways on one saga log: the one driving a refund SIGKILLed with its refund call sent, the other takes the saga and the feeds over once the leases ran out, asks payments first, and completes it: refunded once, in the buyer's inbox once")
        func secondGatewayTakesOver() async throws {
            let lease = ["--gateway-sagas-lease-seconds", "3"]
            let arguments = ["gateway": ["--gateway-instance", "gateway-a"] + lease]
            try await GatewayWorld.run(arguments: arguments, onPostgres: true) { world in
                let gateway = try #require(world.databaseURLs["gateway"])
                try await world.armCrashPoint("gateway", "saga.call-sent@*/refund/forward")
                let paid = try await world.paidOrder([("sku_pg_lease", 1, 5_100)])
                let opened = try await world.apply(.refundOnly, paid, reason: .other)
                let deadline = ContinuousClock.now + .seconds(30)
                while world.process("gateway").isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                try #require(!world.process("gateway").isRunning, "gateway-a never reached its crash point")

                // The second gateway, on the same saga log under another name.
                let second = try await ServiceProcess.start(
                    "gateway", in: world.directory,
                    arguments: GatewayWorld.peerArguments(world.directory, world.listening, world.instances)
                        + ["--database-url", gateway, "--gateway-instance", "gateway-b"] + lease,
                    instance: "gateway-b")
                defer { second.kill() }
                let started = ContinuousClock.now
                let view = try await second.withClient(as: "support") { client in
                    let support = GatewayWorld.Caller(client: client, actor: "platform:agent_1")
                    while true {
                        let view = try await support.call(GatewayMethods.getCase, .with { $0.caseID = opened.record.caseID }, key: nil)
                        if view.record.state == "REFUNDED", view.sagas.first?.state == "completed" { return view }
                        guard ContinuousClock.now - started < .seconds(30) else { return view }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                #expect(view.record.state == "REFUNDED", "gateway-b's log: \(second.log.suffix(4_000))")
                let saga = try #require(view.sagas.first)
                #expect(saga.state == "completed")
                // Within the lease and a renewal round of its start, not at some later pass.
                #expect(ContinuousClock.now - started < .seconds(15))
                // gateway-b found the refund call sent and never answered: it asked payments first.
                let trail = try await second.withClient(as: "cli") { client in
                    try await GatewayWorld.Caller(client: client, actor: "operator:oncall").call(
                        OperationsMethods.getSaga, .with { $0.sagaID = saga.sagaID }, key: nil
                    ).attempts.map { "\($0.kind == "query" ? "?" : "")\($0.step)=\($0.result)" }
                }
                let refund = trail.filter { $0.contains("refund=") && !$0.contains("reserve") }
                #expect(refund.first == "refund=unknown", "\(trail)")
                #expect(refund.contains("?refund=queried_done") || refund.contains("?refund=queried_absent") || refund.contains("?refund=queried_pending"), "\(trail)")
                let refunds = try await ServiceCalls(clients: world.direct).refunds(paid.paymentID)
                #expect(refunds.count == 1, "\(refunds)")
                #expect(refunds.first?.amount.amountMinor == 5_100)
                // gateway-b took gateway-a's feed followers over too: the refund, recorded after
                // gateway-a died, reaches the buyer's inbox, once.
                let refunded = try await second.withClient(as: "buyer-app") { client in
                    let buyer = GatewayWorld.Caller(client: client, actor: "buyer:\(GatewayWorld.buyer)")
                    while true {
                        let inbox = try await buyer.call(GatewayMethods.listNotifications, .with { $0.limit = 1_000 }, key: nil)
                        let items = inbox.items.filter { $0.subjects.caseID == opened.record.caseID && $0.summary.hasSuffix("→ REFUNDED)") }
                        guard items.isEmpty, ContinuousClock.now - started < .seconds(30) else { return items }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                #expect(refunded.count == 1, "\(refunded.map(\.summary))")
            }
        }

        /// The buyer's inbox once `done` holds of it, or as it is after 30 s.
        static func inbox(
            _ world: GatewayWorld, until done: (Aftercare_Gateway_V1_ListNotificationsResponse) -> Bool
        ) async throws -> Aftercare_Gateway_V1_ListNotificationsResponse {
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                let inbox = try await world.buyer().call(GatewayMethods.listNotifications, .with { $0.limit = 1_000 }, key: nil)
                if done(inbox) || ContinuousClock.now > deadline { return inbox }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}
