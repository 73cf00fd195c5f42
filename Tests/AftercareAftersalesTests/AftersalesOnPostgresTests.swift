import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import Testing

/// The aftersales service itself on PostgreSQL: its handlers, the feed and the ledgers on one
/// database of the test process's server, called in process.
@Suite("Aftersales on PostgreSQL")
struct AftersalesOnPostgresTests {
    /// Runs `body` with a client of an aftersales service on a fresh PostgreSQL database, and its feed.
    static func run(_ body: @Sendable (RPCClient, EventFeed) async throws -> Void) async throws {
        try await TestSQLDriver.postgres.withDatabase(migrations: .aftersales) { database in
            let clock = ServiceClock(testMode: true, fixedStart: InMemoryService.start)
            let feed = EventFeed(source: "aftersales", database: database, clock: clock)
            let ledger = MutationLedger(database: database, clock: clock)
            let service = AftersalesService(database: database, clock: clock, feed: feed, ledger: ledger, policy: .builtIn)
            try await TestSystem.run(on: .inProcess, services: [service], configuration: .init(name: "aftercare-aftersales"), serverName: "aftersales") {
                system in try await body(system.client, feed)
            }
        }
    }

    static func open(_ client: RPCClient) async throws -> Aftercare_Aftersales_V1_CaseResponse {
        try await client.unary(AftersalesMethods.openCase, Fixtures.application(), options: CallOptions(idempotencyKey: "open-\(UUID().uuidString)"))
    }

    /// The outcome of opening the fixture's application.
    static func tryOpen(_ client: RPCClient) async -> Result<Aftercare_Aftersales_V1_CaseResponse, any Error> {
        do {
            return .success(try await Self.open(client))
        } catch {
            return .failure(error)
        }
    }

    @Test("a case opened, reviewed and read back: its history, timers and feed events, as on SQLite")
    func openAndRead() async throws {
        try await Self.run { client, feed in
            let opened = try await Self.open(client)
            var get = Aftercare_Aftersales_V1_GetCaseRequest()
            get.caseID = opened.record.caseID
            let read = try await client.unary(AftersalesMethods.getCase, get)
            #expect(read.record.state == "PENDING_SELLER" && read.record.version == 2)
            #expect(read.history.map(\.event) == ["opened", "evaluate"])
            #expect(read.record.timers.map(\.name) == ["T_seller"])
            let types = try await feed.read(afterSeq: 0, limit: 100).map(\.type)
            #expect(types == [AftersalesEventTypes.opened, AftersalesEventTypes.changed, AftersalesEventTypes.changed])
        }
    }

    @Test("two applications on one order line at once: one case opens, the other is FAILED_PRECONDITION naming it")
    func oneOpenCasePerLine() async throws {
        try await Self.run { client, _ in
            async let first = Self.tryOpen(client)
            async let second = Self.tryOpen(client)
            let outcomes = await [first, second]
            let opened = outcomes.compactMap { try? $0.get() }
            let refused = outcomes.compactMap { outcome -> RPCError? in
                guard case .failure(let error) = outcome else { return nil }
                return error as? RPCError
            }
            try #require(opened.count == 1 && refused.count == 1)
            #expect(refused[0].code == .failedPrecondition && refused[0].message.contains("already has case \(opened[0].record.caseID) open"))
        }
    }
}
