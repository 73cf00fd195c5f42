import AftercareLogisticsAPI
import SwiftProtobuf
import AftercareGateway
import AftercareRPC
import AftercareSagas
import AftercareServiceKit
import AftercareTesting
import Foundation
import Logging

/// The real orders, payments, logistics and aftersales executables (Unix sockets, mutual TLS, test
/// mode) in one temporary directory, and the gateway's saga engine in process on an in-memory saga
/// log. ``run(payments:_:)`` starts them and stops them after the body.
final class SagasWorld: Sendable {
    let directory: TemporaryDirectory
    let sagaLog: ServiceDatabase
    let orders: ServiceProcess
    let logistics: ServiceProcess
    let aftersales: ServiceProcess

    /// Aftersales fires due timers every 50 ms here.
    static let aftersalesArguments = ["--aftersales-timers-interval-ms", "50"]

    private init(directory: TemporaryDirectory, orders: ServiceProcess, logistics: ServiceProcess, aftersales: ServiceProcess) throws {
        self.directory = directory
        self.sagaLog = try ServiceDatabase.inMemory(migrations: .gateway)
        self.orders = orders
        self.logistics = logistics
        self.aftersales = aftersales
    }

    /// Starts the services (payments with `payments` flags), runs `body`, stops them.
    static func run(payments arguments: [String] = [], _ body: @Sendable (SagasWorld, ServiceProcess) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        async let orders = ServiceProcess.start("orders", in: directory)
        async let payments = ServiceProcess.start("payments", in: directory, arguments: arguments)
        async let logistics = ServiceProcess.start("logistics", in: directory)
        async let aftersales = ServiceProcess.start("aftersales", in: directory, arguments: Self.aftersalesArguments)
        let started = try await (orders, payments, logistics, aftersales)
        defer { [started.0, started.1, started.2, started.3].forEach { $0.kill() } }
        let world = try SagasWorld(directory: directory, orders: started.0, logistics: started.2, aftersales: started.3)
        try await body(world, started.1)
    }

    /// Runs `body` with a gateway — clients of the four services, an engine with the six sagas on
    /// the world's saga log, its starter — and the test's own calls on the same clients.
    func withGateway<Result: Sendable>(payments: ServiceProcess, _ body: @Sendable (TestGateway) async throws -> Result) async throws -> Result {
        let processes = [self.orders, payments, self.logistics, self.aftersales]
        var clients: [String: RPCClient] = [:]
        for process in processes {
            clients[process.name] = RPCClient(
                transport: try await process.clientTransport(as: "gateway"), configuration: .init(name: "aftercare-gateway"),
                logger: Logger.test("gateway.\(process.name)"))
        }
        let engine = try SagaEngine(
            database: self.sagaLog, clock: ServiceClock(), participants: clients, definitions: GatewaySagas.definitions(Self.configuration),
            logger: Logger.test("gateway.sagas"), sleep: { _ in })
        let gateway = TestGateway(
            engine: engine, starter: CaseSagaStarter(engine: engine, configuration: Self.configuration),
            calls: ServiceCalls(clients: clients))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients.values { group.addTask { try await client.run() } }
            defer { clients.values.forEach { $0.beginGracefulShutdown() } }
            return try await body(gateway)
        }
    }

    /// Fast retries: the services answer at once, so back-offs need not wait.
    static let configuration = GatewaySagas.Configuration(
        retry: SagaRetryPolicy(initialBackoff: .milliseconds(5), maximumBackoff: .milliseconds(50), maxAttempts: 5),
        untilDone: SagaRetryPolicy(initialBackoff: .milliseconds(5), maximumBackoff: .milliseconds(50), maxAttempts: 10))
}

/// The gateway's saga side as a test drives it.
struct TestGateway: Sendable {
    let engine: SagaEngine
    let starter: CaseSagaStarter
    let calls: ServiceCalls

    /// Takes the newest `saga_requested` event of the case from aftersales' feed (it must be of
    /// `saga`), starts its saga through the starter and drives it to its end.
    func runRequestedSaga(_ saga: String, caseID: String) async throws -> SagaRecord {
        let event = try await self.calls.sagaRequested(caseID: caseID, saga: saga)
        let started = try await self.starter.start(try Self.payload(of: event), from: event)
        return try await self.engine.runToEnd(started.id)
    }

    /// Advances the shipment by the carrier simulator (to `to`, or the next event), feeds the
    /// logistics event it made to Carrier progress and drives it; answers the saga.
    func carrierEvent(_ shipmentID: String, to: Aftercare_Logistics_V1_CarrierEventKind = .unspecified) async throws -> SagaRecord {
        let handled = try await self.calls.carrierFeedEvents(shipmentID: shipmentID).count
        _ = try await self.calls.advance(shipmentID, to: to)
        let events = try await self.calls.carrierFeedEvents(shipmentID: shipmentID)
        guard events.count == handled + 1, let event = events.last else {
            throw TestKitError("expected one new carrier event on \(shipmentID), found \(events.count - handled)")
        }
        guard let started = try await self.starter.startCarrierProgress(try Self.payload(of: event), from: event) else {
            throw TestKitError("the starter ignored \(event.type) on \(shipmentID)")
        }
        return try await self.engine.runToEnd(started.id)
    }

    /// The event's payload, as ``SagaTriggers`` reads it.
    static func payload<Payload: SwiftProtobuf.Message>(of event: Aftercare_Common_V1_Event) throws -> Payload {
        guard let payload = event.payload(as: Payload.self) else { throw TestKitError("\(event.type) \(event.eventID) carries no \(Payload.protoMessageName)") }
        return payload
    }
}
