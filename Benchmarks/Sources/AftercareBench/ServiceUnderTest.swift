import AftercareNIO
import AftercareRPC
import AftercareServiceKit
import Foundation
import Logging

/// One service in the benchmark: how it is built over its database, and its main mutating call.
struct ServiceUnderTest: Sendable {
    /// `orders`, `payments`, `logistics`.
    var name: String
    /// The call measured, e.g. `CreateShipment`.
    var call: String
    var migrations: ServiceMigrations
    /// The service's handlers over its database, clock, feed and ledgers.
    var makeServices: @Sendable (ServiceDatabase, ServiceClock, EventFeed, MutationLedger) throws -> [any RPCService]
    /// Makes what the calls need (a payment to refund, say); returns what they refer to.
    var prepare: @Sendable (RPCClient) async throws -> String = { _ in "" }
    /// Call number `index` (unique per measurement), given what `prepare` returned.
    var makeCall: @Sendable (RPCClient, String, Int) async throws -> Void

    static let all: [ServiceUnderTest] = [.orders, .payments, .logistics]

    /// Serves the service on `socketPath` with mutual TLS from a fresh database at `databasePath`,
    /// and measures its call sequentially and with `plan.concurrency` calls in flight.
    func measure(plan: Plan, certificates: Certificates, socketPath: String, databasePath: String) async throws -> Measurement {
        var logger = Logger(label: "aftercare-bench")
        logger.logLevel = .error
        let database = try ServiceDatabase.open(path: databasePath, migrations: self.migrations)
        let clock = ServiceClock()
        let feed = EventFeed(source: self.name, database: database, clock: clock)
        let ledger = MutationLedger(database: database, clock: clock)
        let spans = SQLSpanStore(database: database, clock: clock, logger: logger)
        let server = RPCServer(
            transports: [
                try await NIOServerTransport.bind(
                    to: .unix(path: socketPath),
                    tls: ServerTLS(certificateFile: certificates.serverCertificate, privateKeyFile: certificates.serverKey,
                                   trustRootsFile: certificates.ca),
                    logger: logger)
            ],
            services: try self.makeServices(database, clock, feed, ledger) + [FeedService(feed: feed), StepService(ledger: ledger.steps)],
            configuration: .init(name: "aftercare-\(self.name)"), spanStore: spans, logger: logger)
        let client = RPCClient(
            transport: NIOClientTransport(
                address: .unix(path: socketPath),
                tls: ClientTLS(trustRootsFile: certificates.ca, serverName: Certificates.serverName,
                               certificateFile: certificates.clientCertificate, privateKeyFile: certificates.clientKey)),
            configuration: .init(name: "aftercare-bench-client"), logger: logger)
        let counter = CallCounter()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await spans.run() }
            group.addTask { try await server.run() }
            group.addTask { try await client.run() }
            let subject = try await self.prepare(client)
            let call: @Sendable () async throws -> Void = {
                counter.increment()
                try await self.makeCall(client, subject, counter.count)
            }
            let (latencies, mallocs) = try await measureSequential(plan, call)
            let throughput = try await measureThroughput(plan, call)
            client.beginGracefulShutdown()
            server.beginGracefulShutdown()
            group.cancelAll()
            try? await group.waitForAll()
            return Measurement(latencies: latencies, callsPerSecond: throughput.callsPerSecond, cpuMicrosPerCall: throughput.cpuMicrosPerCall, mallocsPerCall: mallocs, responseBytes: 0)
        }
    }
}
