import AftercareFaults
import AftercareRPC
import AftercareSagas
import AftercareServiceKit
import AftercareTesting
import AftercareWire
import Foundation
import Logging
import SwiftProtobuf
import Synchronization
import Testing

/// Two participants (`orders`, `payments`), each served in process on its own database, and an
/// engine on its own in-memory saga log whose back-off waits are recorded, not slept.
struct SagaHarness: Sendable {
    let orders: TestParticipant
    let payments: TestParticipant
    let ordersClient: RPCClient
    let paymentsClient: RPCClient
    let database: ServiceDatabase
    let clock: ServiceClock
    let waits: Waits

    /// Back-off waits the engine asked for.
    final class Waits: Sendable {
        private let list = Mutex<[Duration]>([])
        var all: [Duration] { self.list.withLock { $0 } }
        func sleep(_ duration: Duration) async throws {
            try Task.checkCancellation()
            self.list.withLock { $0.append(duration) }
        }
    }

    /// Runs `body` with fresh participants, each on a database of `driver`; `faults` (a FaultPlan
    /// script) goes on both clients.
    static func run<Result: Sendable>(
        driver: TestSQLDriver = .sqlite, faults: String = "", _ body: @Sendable (SagaHarness) async throws -> Result
    ) async throws -> Result {
        try await driver.withDatabase(migrations: TestParticipant.migrations) { ordersDatabase in
            try await driver.withDatabase(migrations: TestParticipant.migrations) { paymentsDatabase in
                try await Self.run(
                    orders: TestParticipant("orders", database: ordersDatabase), payments: TestParticipant("payments", database: paymentsDatabase),
                    faults: faults, body)
            }
        }
    }

    private static func run<Result: Sendable>(
        orders: TestParticipant, payments: TestParticipant, faults: String, _ body: @Sendable (SagaHarness) async throws -> Result
    ) async throws -> Result {
        let plan = try FaultPlan(script: faults)
        let wrap: @Sendable (any ClientTransport) -> any ClientTransport = { transport in
            plan.faults.isEmpty ? transport : FaultyClientTransport(wrapping: transport, injector: FaultInjector(plan))
        }
        return try await TestSystem.run(on: .inProcess, services: [orders], configuration: .init(name: "aftercare-orders")) { ordersSystem in
            try await TestSystem.run(on: .inProcess, services: [payments], configuration: .init(name: "aftercare-payments")) { paymentsSystem in
                try await ordersSystem.withClient(as: "gateway", wrap: wrap) { ordersClient in
                    try await paymentsSystem.withClient(as: "gateway", wrap: wrap) { paymentsClient in
                        let harness = SagaHarness(
                            orders: orders, payments: payments, ordersClient: ordersClient, paymentsClient: paymentsClient,
                            database: try ServiceDatabase.inMemory(migrations: .sagas), clock: ServiceClock(), waits: Waits())
                        return try await body(harness)
                    }
                }
            }
        }
    }

    /// A new engine on the harness's saga log (a second one plays a restarted gateway), or on
    /// `database`, under `lease`.
    func engine(_ definitions: [SagaDefinition], database: (any SQLDatabase)? = nil, lease: SagaLease = SagaLease()) throws -> SagaEngine {
        try SagaEngine(
            database: database ?? self.database, clock: self.clock, participants: ["orders": self.ordersClient, "payments": self.paymentsClient],
            definitions: definitions, logger: Logger.test("sagas"), lease: lease, sleep: { [waits] in try await waits.sleep($0) })
    }

    /// Both participants' effects, prefixed with the participant's name.
    func effects() async throws -> [String] {
        try await self.orders.effects().map { "orders:\($0)" } + self.payments.effects().map { "payments:\($0)" }
    }

    /// The saga's call attempts as `step/direction=result`, in order (queries as `?step/direction=result`).
    func trail(_ engine: SagaEngine, _ id: String) async throws -> [String] {
        try await engine.attempts(id).map { "\($0.kind == .query ? "?" : "")\($0.step)/\($0.direction)=\($0.result.rawValue)" }
    }
}

/// The tests' definitions.
enum Definitions {
    /// A step calling `participant` with the output of `from` (or the saga's `input`), and storing
    /// its own output as `<name>.out`.
    static func action(_ name: String, on participant: String, from: String?, verb: String = "Do") -> SagaAction {
        .unary(
            TestParticipant.method(participant, verb), on: participant,
            request: { values in TestParticipant.Value(try values.require(from.map { "\($0).out" } ?? "input")) },
            output: { response, values in values["\(name).\(verb == "Do" ? "out" : "undone")"] = response.value })
    }

    static let fast = SagaRetryPolicy(initialBackoff: .milliseconds(10), maximumBackoff: .seconds(1), jitter: 0, maxAttempts: 5, callTimeout: .seconds(15))

    /// Three compensable steps, the pivot, two forward steps, and `record` on compensation:
    /// a1 (orders), a2 (payments), a3 (orders), p (payments), f1 (orders), f2 (payments).
    static func standard(
        policy: SagaRetryPolicy = fast, forwardBudget: Duration = .seconds(30), compensationBudget: Duration = .seconds(30)
    ) throws -> SagaDefinition {
        let participants = ["a1": "orders", "a2": "payments", "a3": "orders", "p": "payments", "f1": "orders", "f2": "payments"]
        let names = ["a1", "a2", "a3", "p", "f1", "f2"]
        var steps: [SagaStep] = []
        for (index, name) in names.enumerated() {
            let participant = participants[name] ?? "orders"
            let forward = Self.action(name, on: participant, from: index == 0 ? nil : names[index - 1])
            switch name {
            case "p": steps.append(.pivot(name, forward, retry: policy))
            case "f1", "f2": steps.append(.forward(name, forward, retry: policy))
            default: steps.append(.compensable(name, forward, compensation: Self.action(name, on: participant, from: nil, verb: "Undo"), retry: policy))
            }
        }
        return try SagaDefinition(
            name: "standard", version: 3, steps: steps, onCompensated: .forward("record", Self.action("record", on: "orders", from: nil), retry: policy),
            forwardBudget: forwardBudget, compensationBudget: compensationBudget)
    }
}

/// Waits until `condition` holds, checking every 10 ms for at most `seconds`.
func poll(seconds: Int = 30, _ condition: @Sendable () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within \(seconds) s")
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}
