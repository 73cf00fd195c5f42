import AftercareCrashPoints
public import AftercareRPC
public import AftercareServiceKit
public import AftercareWire
public import Logging
public import ServiceLifecycle
import Synchronization

/// The durable saga engine: runs sagas of the given definitions against participant services,
/// logging every saga and every call attempt in the owner's database before acting on it.
///
/// Its design — the log first, deciding by each call's result, giving up, budgets, who drives a
/// saga — is the article <doc:SagaEngineDesign>.
public final class SagaEngine: Service, Sendable {
    public let database: any SQLDatabase
    public let clock: ServiceClock
    let participants: [String: RPCClient]
    let definitions: [String: SagaDefinition]
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void
    /// The lease this engine drives sagas under (``SagaLease``).
    public let lease: SagaLease
    let store = SagaStore()
    private let driving = Mutex(Set<String>())
    private let wakeups: AsyncStream<String>
    private let wake: AsyncStream<String>.Continuation

    /// The status codes that are a participant's decision, not a failure: retrying cannot change them.
    public static let refusalCodes: Set<RPCError.Code> = [
        .invalidArgument, .notFound, .alreadyExists, .failedPrecondition, .outOfRange, .permissionDenied,
    ]

    /// - Parameters:
    ///   - database: the owner's database, migrated with ``SagaStore/register(in:)`` (or ``AftercareServiceKit/ServiceMigrations/sagas``).
    ///   - clock: timestamps and budgets.
    ///   - participants: a client per participant name the definitions use.
    ///   - definitions: every saga this engine runs; names must be unique.
    ///   - logger: saga events, with `saga.id` and `trace.id` metadata.
    ///   - lease: the engine's name and lease length, when several engines share the log (the
    ///     default suits one engine alone).
    ///   - sleep: how back-off waits (tests pass one that returns at once).
    /// - Throws: ``SagaError`` when two definitions share a name or a step names an unknown participant.
    public init(
        database: any SQLDatabase,
        clock: ServiceClock,
        participants: [String: RPCClient],
        definitions: [SagaDefinition],
        logger: Logger,
        lease: SagaLease = SagaLease(),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) throws(SagaError) {
        var byName: [String: SagaDefinition] = [:]
        for definition in definitions {
            guard byName[definition.name] == nil else {
                throw SagaError(.duplicateDefinition, "two definitions are named \(definition.name)")
            }
            let steps = definition.steps + (definition.onCompensated.map { [$0] } ?? [])
            for action in steps.flatMap({ [$0.action] + ($0.compensation.map { [$0] } ?? []) }) where participants[action.participant] == nil {
                throw SagaError(.unknownParticipant, "saga \(definition.name) calls \(action.method) on \(action.participant), which has no client")
            }
            byName[definition.name] = definition
        }
        self.database = database
        self.clock = clock
        self.participants = participants
        self.definitions = byName
        self.logger = logger
        self.lease = lease
        self.sleep = sleep
        (self.wakeups, self.wake) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    // MARK: Starting and running

    /// Starts saga `sagaID` of `definitionName`, or answers the saga that already has that id (a
    /// replayed event never starts a second saga). The saga runs under ``run()``, or ``runToEnd(_:)``.
    /// - Parameters:
    ///   - definitionName: the definition to run, one of the engine's.
    ///   - sagaID: the saga's id, from what started it (a replay names the same).
    ///   - values: the saga's input.
    ///   - traceID: the saga's trace (a new one when `nil`).
    ///   - parentSpanID: the span the saga's span is a child of, in `traceID` (the call that caused it).
    @discardableResult
    public func start(
        _ definitionName: String, sagaID: String, values: SagaValues, traceID: TraceID? = nil, parentSpanID: UInt64? = nil
    ) async throws -> SagaRecord {
        guard let definition = self.definitions[definitionName] else {
            throw SagaError(.unknownDefinition, "no saga definition is named \(definitionName)")
        }
        let now = self.clock.nowMicros
        let record = SagaRecord(
            id: sagaID, definition: definition.name, version: definition.version, state: .running, phase: .forward, position: 0, tries: 0,
            awaitingQuery: false, values: values, traceID: traceID ?? .random(), parentSpanID: traceID == nil ? nil : parentSpanID,
            completed: [], compensations: [], reason: "",
            forwardStartedMicros: now, compensationStartedMicros: nil, createdMicros: now, updatedMicros: now)
        let (inserted, saga) = try await self.database.transaction { [store] db in
            guard try store.insert(record, in: db) else {
                // Started before (a retried start): the saga as it is now.
                guard let saga = try store.saga(sagaID, in: db) else { throw SagaError(.unknownSaga, "saga \(sagaID) vanished") }
                return (false, saga)
            }
            try store.record(sagaID, "started", reason: definition.name, atMicros: now, in: db)
            return (true, record)
        }
        if inserted {
            SagaMetrics.started(saga.definition)
            CrashPoints.reach(.sagaStarted, sagaID)
            self.logger(for: saga).info("saga started")
            self.wake.yield(sagaID)
        }
        return saga
    }

    /// Resumes every running or compensating saga it may drive, then drives each saga started or
    /// retried, until graceful shutdown (calls in flight then end as unknown, and are asked about
    /// at the next start). Every third of the lease it renews the leases it holds and takes over
    /// the sagas whose lease ran out (another engine's, which died or hung).
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.keepLeases() }
                do {
                    let unfinished = try await self.database.snapshot { [store = self.store, lease = self.lease, clock = self.clock] db in
                        try store.leasable(lease, atMicros: clock.nowMicros, limit: Int.max, in: db)
                    }
                    self.logger.info("resuming unfinished sagas", metadata: ["saga.count": "\(unfinished.count)"])
                    for id in unfinished { group.addTask { await self.driveLogged(id) } }
                } catch {
                    self.logger.error("cannot read unfinished sagas", metadata: ["error": "\(error)"])
                }
                for await id in self.wakeups {
                    group.addTask { await self.driveLogged(id) }
                }
            }
        }
    }

    /// Every third of the lease: renews this engine's leases, then wakes every saga it may drive
    /// and does not (one whose lease ran out, or its own left behind by a failed drive).
    private func keepLeases() async {
        while !Task.isCancelled {
            do {
                // Not `self.sleep`, which tests make return at once for the sagas' back-off.
                try await Task.sleep(for: self.lease.duration / 3)
                let now = self.clock.nowMicros
                let leasable = try await self.database.transaction { [store, lease] db in
                    try store.renewLeases(lease, atMicros: now, in: db)
                    return try store.leasable(lease, atMicros: now, limit: 1_000, in: db)
                }
                let idle = self.driving.withLock { driving in leasable.filter { !driving.contains($0) } }
                if !idle.isEmpty { self.logger.info("taking over sagas", metadata: ["saga.count": "\(idle.count)"]) }
                for id in idle { self.wake.yield(id) }
            } catch where Task.isCancelled {
                return
            } catch {
                self.logger.warning("cannot renew saga leases", metadata: ["error": "\(error)"])
            }
        }
    }

    private func driveLogged(_ id: String) async {
        do {
            _ = try await self.runToEnd(id)
        } catch let error as SagaError where error.code == .leaseLost {
            self.logger.notice("saga taken over by another engine", metadata: ["saga.id": "\(id)", "error": "\(error)"])
        } catch where !Task.isCancelled {
            self.logger.error("saga driver failed; the next start resumes it", metadata: ["saga.id": "\(id)", "error": "\(error)"])
        } catch {}
    }

    /// Drives saga `id` in the caller's task until it is completed, compensated, stuck or resolved,
    /// and answers its record. If this engine is already driving it elsewhere, answers its record now.
    @discardableResult
    public func runToEnd(_ id: String) async throws -> SagaRecord {
        guard self.driving.withLock({ $0.insert(id).inserted }) else { return try await self.requireSaga(id) }
        defer { _ = self.driving.withLock { $0.remove(id) } }
        return try await self.drive(id)
    }

    // MARK: Reads

    /// The saga with `id`, if any.
    public func saga(_ id: String) async throws -> SagaRecord? {
        try await self.database.snapshot { [store] db in try store.saga(id, in: db) }
    }

    /// Every call attempt and outcome query of saga `id`, in order.
    public func attempts(_ id: String) async throws -> [SagaAttempt] {
        try await self.database.snapshot { [store] db in try store.attempts(id, in: db) }
    }

    /// Saga `id`'s history: start, state changes, operator actions.
    public func events(_ id: String) async throws -> [SagaEvent] {
        try await self.database.snapshot { [store] db in try store.events(id, in: db) }
    }

    /// Sagas in `state` (all if `nil`), oldest first.
    public func list(state: SagaState? = nil) async throws -> [SagaRecord] {
        try await self.database.snapshot { [store] db in try store.sagas(state: state, in: db) }
    }

    /// The sagas `filter` selects, newest first.
    public func page(_ filter: SagaFilter) async throws -> [SagaRecord] {
        try await self.database.snapshot { [store] db in try store.page(filter, in: db) }
    }

    /// The definition named `name` this engine runs, if any.
    public func definition(named name: String) -> SagaDefinition? {
        self.definitions[name]
    }

    func requireSaga(_ id: String) async throws -> SagaRecord {
        guard let saga = try await self.saga(id) else { throw SagaError(.unknownSaga, "no saga has id \(id)") }
        return saga
    }

    // MARK: Operators

    /// Resumes stuck saga `id` where it stopped (attempts and budget counted afresh), recording who
    /// asked and why. ``run()`` picks it up; without it, call ``runToEnd(_:)``.
    @discardableResult
    public func retry(_ id: String, reason: String) async throws -> SagaRecord {
        let saga = try await self.operatorAction(id, kind: "retried", reason: reason) { saga, now in saga.resume(atMicros: now) }
        self.wake.yield(id)
        return saga
    }

    /// Closes stuck saga `id` by hand (state `resolved`), recording the reason.
    @discardableResult
    public func resolve(_ id: String, reason: String) async throws -> SagaRecord {
        try await self.operatorAction(id, kind: "resolved", reason: reason) { saga, now in
            saga.state = .resolved
            saga.phase = .finished
            saga.reason = reason
            saga.updatedMicros = now
        }
    }

    private func operatorAction(
        _ id: String, kind: String, reason: String, _ change: @escaping @Sendable (inout SagaRecord, Int64) -> Void
    ) async throws -> SagaRecord {
        let now = self.clock.nowMicros
        let saga = try await self.database.transaction { [store] db in
            guard var saga = try store.sagaForUpdate(id, in: db) else { throw SagaError(.unknownSaga, "no saga has id \(id)") }
            guard saga.state == .stuck else {
                throw SagaError(.wrongState, "saga \(id) is \(saga.state); only a stuck saga can be \(kind)")
            }
            change(&saga, now)
            try store.update(saga, in: db)
            try store.record(id, kind, reason: reason, atMicros: now, in: db)
            return saga
        }
        SagaMetrics.finished(saga)
        self.logger(for: saga).notice("saga \(kind) by an operator", metadata: ["saga.reason": "\(reason)"])
        return saga
    }

    func logger(for saga: SagaRecord) -> Logger {
        self.logger.adding(["saga.id": "\(saga.id)", "saga.definition": "\(saga.definition)", "trace.id": "\(saga.traceID)"])
    }
}
