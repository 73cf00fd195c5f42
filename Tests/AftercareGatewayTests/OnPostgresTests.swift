import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercareRPC
import AftercareServiceKit
import AftercareServiceRuntime
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// The executables on PostgreSQL (`database.url`), each on a database of its own on the test
    /// process's server: the ones whose code is on the database layer.
    @Suite("On PostgreSQL")
    struct OnPostgresTests {
        /// The services that run on PostgreSQL so far.
        static let onPostgres = ["orders", "payments", "feedback", "gateway"]

        @Test("orders, payments, feedback and the gateway on PostgreSQL, the rest on SQLite: a review, a refund saga and the inboxes; the gateway SIGKILLed and started again on its database")
        func onPostgres() async throws {
            var urls: [String: String] = [:]
            for name in Self.onPostgres { urls[name] = "\(try await TestPostgres.database())" }
            let gateway = urls["gateway"]!
            try await GatewayWorld.run(arguments: urls.mapValues { ["--database-url", $0] }) { world in
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
                let inbox = try await world.buyer().call(GatewayMethods.listNotifications, .with { $0.limit = 1_000 }, key: nil)
                #expect(inbox.items.contains { $0.subjects.caseID == opened.record.caseID }, "\(inbox.items.map(\.type))")

                // Killed and started again on the same database: the log, cursors and inboxes are there.
                try await world.restart("gateway", arguments: ["--database-url", gateway], kill: true)
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

        @Test("a service whose code is not on the database layer yet, given database.url, stops: exit 78 naming the key")
        func notYet() async throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let url = "\(try await TestPostgres.database())"
            let refused = try await ServiceProcess.refusedStart("logistics", in: directory, arguments: ["--database-url", url])
            #expect(refused.ending == .exited(ServiceMain.configurationExitCode))
            #expect(refused.log.contains("database.url"), "\(refused.log)")
        }
    }
}
