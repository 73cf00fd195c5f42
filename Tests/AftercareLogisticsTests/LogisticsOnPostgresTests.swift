import AftercareLogistics
import AftercareLogisticsAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import Testing

/// The logistics service itself on PostgreSQL: its handlers, the feed and the ledgers on one
/// database of the test process's server, called in process.
@Suite("Logistics on PostgreSQL")
struct LogisticsOnPostgresTests {
    /// Runs `body` with a client of a logistics service on a fresh PostgreSQL database, and its feed.
    static func run(_ body: @Sendable (RPCClient, EventFeed) async throws -> Void) async throws {
        try await TestSQLDriver.postgres.withDatabase(migrations: .logistics) { database in
            let clock = ServiceClock(testMode: true, fixedStart: LogisticsHarness.start)
            let feed = EventFeed(source: "logistics", database: database, clock: clock)
            let ledger = MutationLedger(database: database, clock: clock)
            let service = LogisticsService(database: database, clock: clock, feed: feed, ledger: ledger)
            try await TestSystem.run(on: .inProcess, services: [service], configuration: .init(name: "aftercare-logistics"), serverName: "logistics") {
                system in try await body(system.client, feed)
            }
        }
    }

    /// The outcome of ingesting `request`.
    static func tryIngest(_ client: RPCClient, _ request: Aftercare_Logistics_V1_IngestCarrierEventRequest) async
        -> Result<Aftercare_Logistics_V1_IngestCarrierEventResponse, any Error>
    {
        do {
            return .success(try await client.unary(LogisticsMethods.ingestCarrierEvent, request))
        } catch {
            return .failure(error)
        }
    }

    @Test("a return created with its label, its buyer's tracking registered, a carrier event delivered twice at once: recorded once, answered as a duplicate")
    func returnJourney() async throws {
        try await Self.run { client, feed in
            let created = try await client.unary(
                LogisticsMethods.createShipment, Requests.create(.return), options: CallOptions(idempotencyKey: "create-1"))
            #expect(created.state == .labelCreated && created.trackingSource == .label && !created.trackingNumber.isEmpty)
            let registered = try await client.unary(
                LogisticsMethods.registerBuyerTracking, Requests.buyerTracking(created.shipmentID), options: CallOptions(idempotencyKey: "buyer-1"))
            #expect(registered.trackingSource == .buyer && registered.label.voidedAtUnixMicros > 0)
            let event = Requests.event(carrier: "zto", tracking: "ZT0000000001", id: "zto-1", kind: .pickedUp)
            async let first = Self.tryIngest(client, event)
            async let second = Self.tryIngest(client, event)
            let answers = try await [first, second].map { try $0.get() }
            #expect(answers.map(\.duplicate).sorted { !$0 && $1 } == [false, true])
            #expect(answers.allSatisfy { $0.shipment.state == .pickedUp && $0.event.seq == 4 })
            let history = try await client.unary(LogisticsMethods.getShipment, {
                var request = Aftercare_Logistics_V1_GetShipmentRequest()
                request.shipmentID = created.shipmentID
                return request
            }()).events
            #expect(history.map(\.seq) == [1, 2, 3, 4])
            #expect(try await feed.read(afterSeq: 0, limit: 100).count == 4)
        }
    }
}
