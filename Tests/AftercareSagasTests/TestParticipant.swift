import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Foundation
import SwiftProtobuf
import Synchronization

/// A participant for the engine's tests: `Do` and `Undo` go through a real `MutationLedger` on its
/// own database, SQLite or PostgreSQL (so QueryStep, duplicates, nothing-to-undo and fencing are
/// the real ones), and each executed call leaves one row in `effects`. It can be told to refuse a
/// step, fail transiently, hang, or execute and then lose the reply.
final class TestParticipant: RPCService, Sendable {
    typealias Value = SwiftProtobuf.Google_Protobuf_StringValue

    /// One call as the participant saw it.
    struct Seen: Sendable, Hashable {
        var method: String
        var saga: SagaContext?
        var traceID: TraceID
        var input: String
    }

    /// What to do with calls, by step name.
    struct Behaviour: Sendable {
        /// Forward calls refused with FAILED_PRECONDITION (inside the ledger: remembered).
        var refuse: Set<String> = []
        /// Calls (either direction) failed with UNAVAILABLE, not executed, this many more times.
        var transient: [String: Int] = [:]
        /// Compensations failed with UNAVAILABLE, not executed, every time.
        var failUndo: Set<String> = []
        /// Forward calls that hang (before executing) until cancelled.
        var hang: Set<String> = []
        /// Forward calls that execute, then hang until cancelled.
        var executeThenHang: Set<String> = []
        /// Forward calls that execute, then fail with an UNKNOWN outcome once (the reply is lost).
        var loseReply: Set<String> = []
    }

    static let migrations: SQLMigrations = {
        var migrations = SQLMigrations()
        migrations.register("effects-v1") { db in
            try db.executeScript("""
                CREATE TABLE effects (
                    seq BIGINT PRIMARY KEY, saga_id TEXT NOT NULL, step TEXT NOT NULL, direction TEXT NOT NULL, input TEXT NOT NULL)
                """)
        }
        return migrations
    }()

    let name: String
    let database: any SQLDatabase
    let ledger: MutationLedger
    let behaviour = Mutex(Behaviour())
    private let seenCalls = Mutex<[Seen]>([])

    /// - Parameter database: migrated with ``migrations``.
    init(_ name: String, database: any SQLDatabase) {
        self.name = name
        self.database = database
        self.ledger = MutationLedger(database: database, clock: ServiceClock())
    }

    static func method(_ participant: String, _ verb: String) -> MethodDescriptor<Value, Value> {
        MethodDescriptor("aftercare.test.v1.\(participant.capitalized)/\(verb)")
    }

    var doMethod: MethodDescriptor<Value, Value> { Self.method(self.name, "Do") }
    var undoMethod: MethodDescriptor<Value, Value> { Self.method(self.name, "Undo") }

    func register(in router: inout RPCRouter) {
        router.unary(self.doMethod) { request, context in try await self.handle(request, context) }
        router.unary(self.undoMethod) { request, context in try await self.handle(request, context) }
        StepService(ledger: self.ledger.steps).register(in: &router)
    }

    /// Every Do/Undo call received, in order.
    var seen: [Seen] { self.seenCalls.withLock { $0 } }

    /// `step/direction` of every executed effect, in order of execution.
    func effects() async throws -> [String] {
        try await self.database.snapshot { db in
            try db.query("SELECT step, direction FROM effects ORDER BY seq", []).map { row in
                "\(try row.decode("step", as: String.self))/\(try row.decode("direction", as: String.self))"
            }
        }
    }

    private func handle(_ request: Value, _ context: ServerContext) async throws -> Value {
        guard let saga = context.saga else { throw RPCError.invalidField("saga", "the test participant serves saga calls only") }
        self.seenCalls.withLock { $0.append(Seen(method: context.method, saga: saga, traceID: context.traceID, input: request.value)) }
        let step = saga.step
        let forward = saga.direction == .forward
        enum Plan { case run, hang, transient, executeThenHang, loseReply, refuse }
        let plan = self.behaviour.withLock { behaviour -> Plan in
            if let left = behaviour.transient[step], left > 0 {
                behaviour.transient[step] = left - 1
                return .transient
            }
            if !forward { return behaviour.failUndo.contains(step) ? .transient : .run }
            if behaviour.hang.contains(step) { return .hang }
            if behaviour.refuse.contains(step) { return .refuse }
            if behaviour.executeThenHang.contains(step) { return .executeThenHang }
            if behaviour.loseReply.remove(step) != nil { return .loseReply }
            return .run
        }
        switch plan {
        case .transient:
            throw RPCError(.unavailable, "\(self.name) is busy", outcome: .notExecuted)
        case .hang:
            try await Task.sleep(for: .seconds(60))
        default:
            break
        }
        let name = self.name
        let response = try await self.ledger.once(context, request: request) { db in
            if plan == .refuse { throw RPCError.failedPrecondition("\(name) refuses \(step)") }
            // Numbered MAX + 1, under the table's lock key: two sagas' calls at once on PostgreSQL.
            try db.serialize(on: SQLLockKey("effects"))
            try db.execute(
                """
                INSERT INTO effects (seq, saga_id, step, direction, input)
                SELECT COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ? FROM effects
                """,
                [saga.sagaID, step, saga.direction.description, request.value])
            return Value("\(name):\(step):\(saga.direction)")
        }
        switch plan {
        case .executeThenHang:
            try await Task.sleep(for: .seconds(60))
        case .loseReply:
            throw RPCError(.unavailable, "\(self.name) executed \(step) and lost the reply", outcome: .unknown)
        default:
            break
        }
        return response
    }
}
