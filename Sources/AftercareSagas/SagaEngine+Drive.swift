import AftercareCrashPoints
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Foundation
import Logging

/// The engine's loop: one call or outcome query per turn, each logged before and after.
///
/// The driver keeps the saga's record in memory while it drives it: only the driver writes a running
/// or compensating saga (an operator acts on stuck ones alone), so each write sets the row from the
/// record without reading it back. A failed write ends the drive; the next one reads the log again.
extension SagaEngine {
    /// The call due at a saga's position.
    struct Due {
        var step: SagaStep
        var action: SagaAction
        var direction: SagaDirection
        /// When the budget covering this call runs out; `nil` for none (steps after the pivot).
        var deadlineMicros: Int64?
    }

    /// A call whose attempt is already logged `sent` (by the transaction that logged the step
    /// before it): the next turn sends it without writing again.
    struct Logged {
        var seq: Int
        var number: Int
        var attempting: Attempting
    }

    /// What a turn leaves for the next: the saga as written, the back-off to wait before the next
    /// turn, and the next call if it is logged already.
    struct Turn {
        var saga: SagaRecord
        var wait: Duration = .zero
        var logged: Logged?
    }

    func drive(_ id: String) async throws -> SagaRecord {
        let now = self.clock.nowMicros
        let (saga, leased) = try await self.database.transaction { [store, lease] db in
            // Taking the lease locks the row before it is read (a running or compensating saga's).
            let leased = try store.takeLease(id, lease, atMicros: now, in: db)
            guard let saga = try store.saga(id, in: db) else { throw SagaError(.unknownSaga, "no saga has id \(id)") }
            // A call its last driver logged `sent` and never saw the end of is asked about first.
            if leased { try store.markInterrupted(id, atMicros: now, in: db) }
            return (saga, leased)
        }
        // Finished, or another engine holds it: nothing to drive here.
        guard leased else { return saga }
        let first = Turn(saga: saga)
        guard CallTracing.traces(first.saga.traceID) else { return try await self.drive(from: first) }
        return try await self.traced(first.saga) { try await self.drive(from: first) }
    }

    /// The turns of a drive, from `first` until the saga is no longer active.
    private func drive(from first: Turn) async throws -> SagaRecord {
        let id = first.saga.id
        var next = first
        while true {
            try Task.checkCancellation()
            let saga = next.saga
            guard saga.state.isActive else { return saga }
            guard let definition = self.definitions[saga.definition] else {
                throw SagaError(.unknownDefinition, "saga \(id) is of definition \(saga.definition), which this engine does not know")
            }
            guard let due = self.due(saga, definition) else {
                next = Turn(saga: try await self.save(saga, event: nil) { saga in
                    saga.endPhase(hasOnCompensated: definition.onCompensated != nil, atMicros: self.clock.nowMicros)
                })
                continue
            }
            if let logged = next.logged {
                next = try await self.send(saga, definition, due, logged)
            } else {
                next = try await self.turn(saga, definition, due, wait: next.wait)
            }
        }
    }

    /// The call at the saga's position, or `nil` when its phase has none left.
    func due(_ saga: SagaRecord, _ definition: SagaDefinition) -> Due? {
        let compensationDeadline = (saga.compensationStartedMicros ?? saga.updatedMicros) + definition.compensationBudget.wholeMicroseconds
        switch saga.phase {
        case .forward:
            guard saga.position < definition.steps.count else { return nil }
            let step = definition.steps[saga.position]
            let deadline = saga.position <= definition.pivotIndex ? saga.forwardStartedMicros + definition.forwardBudget.wholeMicroseconds : nil
            return Due(step: step, action: step.action, direction: .forward, deadlineMicros: deadline)
        case .compensate:
            guard saga.position < saga.compensations.count, let step = definition.step(named: saga.compensations[saga.position]),
                let compensation = step.compensation
            else { return nil }
            return Due(step: step, action: compensation, direction: .compensate, deadlineMicros: compensationDeadline)
        case .onCompensated:
            guard saga.position == 0, let step = definition.onCompensated else { return nil }
            return Due(step: step, action: step.action, direction: .forward, deadlineMicros: compensationDeadline)
        case .finished:
            return nil
        }
    }

    /// One turn: wait out the back-off, check the threshold and the budget, then ask or call.
    private func turn(_ saga: SagaRecord, _ definition: SagaDefinition, _ due: Due, wait: Duration) async throws -> Turn {
        let policy = due.step.retry
        if wait > .zero {
            let left = due.deadlineMicros.map { Duration.microseconds(max(0, $0 - self.clock.nowMicros)) } ?? wait
            try await SagaMetrics.backingOff(saga.definition) { try await self.sleep(min(wait, left)) }
        }
        let now = self.clock.nowMicros
        if let deadline = due.deadlineMicros, now >= deadline {
            let budget = saga.phase == .forward ? "forward" : "compensation"
            return Turn(saga: try await self.giveUp(saga, definition, due, reason: "\(Self.label(due)) ran out of the \(budget) budget"))
        }
        if saga.tries >= policy.maxAttempts {
            return Turn(saga: try await self.giveUp(saga, definition, due, reason: "\(Self.label(due)) failed \(saga.tries) attempts"))
        }
        let timeout = min(policy.callTimeout.wholeMicroseconds, due.deadlineMicros.map { $0 - now } ?? .max)
        let context = Attempting(backoffMicros: wait.wholeMicroseconds, timeoutMicros: timeout)
        if saga.awaitingQuery {
            return try await self.query(saga, definition, due, context)
        }
        return try await self.call(saga, definition, due, context)
    }

    struct Attempting {
        var backoffMicros: Int64
        var timeoutMicros: Int64
    }

    // MARK: Calls

    private func call(_ saga: SagaRecord, _ definition: SagaDefinition, _ due: Due, _ attempting: Attempting) async throws -> Turn {
        let store = self.store
        let now = self.clock.nowMicros
        let sent = Self.sent(saga, due, attempting, atMicros: now)
        do {
            try due.action.prepare(saga.values)
        } catch {
            var invalid = sent
            invalid.result = .invalid
            invalid.endedMicros = now
            invalid.statusCode = Int(RPCError.Code.invalidArgument.rawValue)
            invalid.message = "could not build the request: \(error)"
            try await self.database.transaction { [invalid] db in
                var attempt = invalid
                attempt.attempt = try store.callCount(saga.id, step: due.step.name, direction: due.direction, in: db) + 1
                _ = try store.append(attempt, in: db)
            }
            return Turn(saga: try await self.refused(saga, definition, due, reason: "\(Self.label(due)) could not build its request: \(error)"))
        }
        let (current, logged) = try await self.database.transaction { db in try Self.logSent(saga, sent, attempting, store, self.lease, in: db) }
        return try await self.send(current, definition, due, logged)
    }

    /// The attempt a call at `due` is logged with before it leaves.
    static func sent(_ saga: SagaRecord, _ due: Due, _ attempting: Attempting, atMicros now: Int64) -> SagaAttempt {
        SagaAttempt(
            sagaID: saga.id, seq: 0, step: due.step.name, direction: due.direction, kind: .call, attempt: 0, startedMicros: now,
            endedMicros: nil, result: .sent, statusCode: 0, message: "", backoffMicros: attempting.backoffMicros,
            timeoutMicros: attempting.timeoutMicros)
    }

    /// Logs `sent` in `db` and marks the saga as waiting for its answer (an outcome query is due
    /// if the engine stops before it): the write before the call.
    static func logSent(
        _ saga: SagaRecord, _ sent: SagaAttempt, _ attempting: Attempting, _ store: SagaStore, _ lease: SagaLease, in db: any SQLConnection
    ) throws -> (SagaRecord, Logged) {
        var attempt = sent
        attempt.attempt = try store.callCount(saga.id, step: sent.step, direction: sent.direction, in: db) + 1
        let seq = try store.append(attempt, in: db)
        var saga = saga
        saga.tries += 1
        saga.awaitingQuery = true
        saga.updatedMicros = sent.startedMicros
        try store.update(saga, leasedBy: lease, in: db)
        return (saga, Logged(seq: seq, number: attempt.attempt, attempting: attempting))
    }

    /// Sends the call at `due`, whose attempt `logged` is durable, and logs how it ended.
    private func send(_ saga: SagaRecord, _ definition: SagaDefinition, _ due: Due, _ logged: Logged) async throws -> Turn {
        let store = self.store
        let (seq, number, attempting) = (logged.seq, logged.number, logged.attempting)
        CrashPoints.reach(.sagaCallLogged, Self.context(saga.id, due))
        guard let client = self.participants[due.action.participant] else {
            throw SagaError(.unknownParticipant, "no client for participant \(due.action.participant)")
        }
        let step = CallTracing.traces(saga.traceID) ? Self.startStepSpan(saga, due, kind: .call, attempt: number) : nil
        let options = CallOptions(
            timeout: .microseconds(attempting.timeoutMicros),
            traceParent: step?.ids ?? TraceParent(traceID: saga.traceID, parentID: .random(in: 1...UInt64.max)),
            saga: SagaContext(sagaID: saga.id, step: due.step.name, direction: due.direction, attempt: UInt16(clamping: number)))
        let log = self.logger(for: saga)
        log.debug("calling \(due.action.method)", metadata: ["saga.step": "\(Self.label(due))", "saga.attempt": "\(number)"])
        do {
            let response = try await Self.attempt(in: step) { try await due.action.call(client, saga.values, options) }
            SagaMetrics.attempt(saga.definition, step: due.step.name, .ok)
            CrashPoints.reach(.sagaReplyReceived, Self.context(saga.id, due))
            return try await self.succeeded(saga, definition, due, seq: seq, result: .ok, response: response)
        } catch where Task.isCancelled {
            // Stopped mid-call: the attempt stays `sent`, and the next start asks the participant.
            throw CancellationError()
        } catch let error as RPCError {
            let ended = self.clock.nowMicros
            let code = Int(error.code.rawValue)
            if Self.refusalCodes.contains(error.code) {
                SagaMetrics.attempt(saga.definition, step: due.step.name, .refused)
                CrashPoints.reach(.sagaReplyReceived, Self.context(saga.id, due))
                try await self.database.transaction { db in
                    try store.finish(saga.id, seq: seq, result: .refused, statusCode: code, message: error.message, atMicros: ended, in: db)
                }
                return Turn(
                    saga: try await self.refused(
                        saga, definition, due, reason: "\(Self.label(due)) was refused: \(error.code): \(error.message)", refusal: error.message))
            }
            let known = error.outcome == .notExecuted
            SagaMetrics.attempt(saga.definition, step: due.step.name, known ? .notExecuted : .unknown)
            log.info("\(due.action.method) failed", metadata: ["saga.step": "\(Self.label(due))", "error": "\(error)"])
            var current = saga
            current.awaitingQuery = !known
            current.updatedMicros = ended
            try await self.database.transaction { [current] db in
                try store.finish(saga.id, seq: seq, result: known ? .notExecuted : .unknown, statusCode: code, message: error.message, atMicros: ended, in: db)
                try store.update(current, leasedBy: self.lease, in: db)
            }
            // Not executed: back off and send again. Unknown: ask at once.
            return Turn(saga: current, wait: known ? due.step.retry.backoff(afterFailures: current.tries) : .zero)
        }
    }

    // MARK: Outcome queries

    private func query(_ saga: SagaRecord, _ definition: SagaDefinition, _ due: Due, _ attempting: Attempting) async throws -> Turn {
        let store = self.store
        let now = self.clock.nowMicros
        guard let client = self.participants[due.action.participant] else {
            throw SagaError(.unknownParticipant, "no client for participant \(due.action.participant)")
        }
        let seq = try await self.database.transaction { db in
            let calls = try store.callCount(saga.id, step: due.step.name, direction: due.direction, in: db)
            return try store.append(
                SagaAttempt(
                    sagaID: saga.id, seq: 0, step: due.step.name, direction: due.direction, kind: .query, attempt: calls, startedMicros: now,
                    endedMicros: nil, result: .sent, statusCode: 0, message: "", backoffMicros: attempting.backoffMicros,
                    timeoutMicros: attempting.timeoutMicros),
                in: db)
        }
        var request = Aftercare_Common_V1_QueryStepRequest()
        request.sagaID = saga.id
        request.step = due.step.name
        let step = CallTracing.traces(saga.traceID) ? Self.startStepSpan(saga, due, kind: .query, attempt: nil) : nil
        let response: Aftercare_Common_V1_QueryStepResponse
        do {
            response = try await Self.attempt(in: step) {
                try await client.unary(
                    StepMethods.queryStep, request,
                    options: CallOptions(
                        timeout: .microseconds(attempting.timeoutMicros),
                        traceParent: step?.ids ?? TraceParent(traceID: saga.traceID, parentID: .random(in: 1...UInt64.max))))
            }
        } catch where Task.isCancelled {
            throw CancellationError()
        } catch let error as RPCError {
            let ended = self.clock.nowMicros
            var current = saga
            current.tries += 1
            current.updatedMicros = ended
            try await self.database.transaction { [current] db in
                try store.finish(saga.id, seq: seq, result: .queryFailed, statusCode: Int(error.code.rawValue), message: error.message, atMicros: ended, in: db)
                try store.update(current, leasedBy: self.lease, in: db)
            }
            return Turn(saga: current, wait: due.step.retry.backoff(afterFailures: current.tries))
        }
        let entry: Aftercare_Common_V1_StepEntry? =
            due.direction == .forward ? (response.hasForward ? response.forward : nil) : (response.hasCompensate ? response.compensate : nil)
        switch entry?.outcome {
        case .done?:
            return try await self.succeeded(saga, definition, due, seq: seq, result: .queriedDone, response: [UInt8](entry?.response ?? Data()))
        case .nothingToUndo?:
            return try await self.succeeded(
                saga, definition, due, seq: seq, result: .queriedNothingToUndo, response: [UInt8](entry?.response ?? Data()))
        case .refused?:
            let code = Int(entry?.statusCode ?? 0)
            let message = entry?.statusMessage ?? ""
            let codeName = RPCError.Code(wire: UInt16(clamping: code))
            try await self.database.transaction { db in
                try store.finish(saga.id, seq: seq, result: .queriedRefused, statusCode: code, message: message, atMicros: self.clock.nowMicros, in: db)
            }
            return Turn(
                saga: try await self.refused(saga, definition, due, reason: "\(Self.label(due)) was refused: \(codeName): \(message)", refusal: message))
        default:
            let pending = entry?.outcome == .pending
            var current = saga
            current.awaitingQuery = false
            try await self.database.transaction { [current] db in
                try store.finish(
                    saga.id, seq: seq, result: pending ? .queriedPending : .queriedAbsent, statusCode: 0,
                    message: pending ? "pending with an outside party" : "the participant never received it", atMicros: self.clock.nowMicros,
                    in: db)
                try store.update(current, leasedBy: self.lease, in: db)
            }
            return Turn(saga: current, wait: due.step.retry.backoff(afterFailures: current.tries))
        }
    }

    // MARK: Outcomes

    /// The call at the position succeeded (live, or as the participant's ledger tells): absorb the
    /// response and move on, in one transaction with the attempt's result. The same transaction
    /// logs what comes next when nothing has to be waited for first: the next call's attempt
    /// `sent` (the write before that call), or the end of the phase. The next turn then waits for
    /// nothing: no back-off, unless the response says the step is still pending.
    private func succeeded(
        _ saga: SagaRecord, _ definition: SagaDefinition, _ due: Due, seq: Int, result: SagaAttempt.Result, response: [UInt8]
    ) async throws -> Turn {
        let (store, id) = (self.store, saga.id)
        let now = self.clock.nowMicros
        var current = saga
        do {
            var values = current.values
            try due.action.absorb(response, &values)
            current.values = values
        } catch let pending as SagaStepPending {
            // Answered, not settled: the same request goes again after a back-off (the
            // participant's ledger makes it a replay, or settles it first).
            current.awaitingQuery = false
            current.updatedMicros = now
            try await self.database.transaction { [current] db in
                try store.finish(id, seq: seq, result: .pending, statusCode: 0, message: pending.description, atMicros: now, in: db)
                try store.update(current, leasedBy: self.lease, in: db)
            }
            CrashPoints.reach(.sagaStepLogged, Self.context(id, due))
            return Turn(saga: current, wait: due.step.retry.backoff(afterFailures: max(current.tries, 1)))
        } catch {
            current.stick(reason: "\(Self.label(due)) answered a response the saga cannot read: \(error)", atMicros: now)
            let message = "unreadable response: \(error)"
            try await self.database.transaction { [current] db in
                try store.finish(id, seq: seq, result: result, statusCode: 0, message: message, atMicros: now, in: db)
                try store.update(current, leasedBy: self.lease, in: db)
                try store.record(id, "stuck", reason: current.reason, atMicros: now, in: db)
            }
            SagaMetrics.finished(current)
            self.logger.warning("saga stuck on an unreadable response", metadata: ["saga.id": "\(id)", "error": "\(error)"])
            return Turn(saga: current)
        }
        current.succeed(step: due.step.name)
        current.updatedMicros = now
        let next = self.loggedWithOutcome(current, definition, atMicros: now)
        let moved = current
        let logged = try await self.database.transaction { db -> Turn in
            try store.finish(id, seq: seq, result: result, statusCode: 0, message: "", atMicros: now, in: db)
            switch next {
            case .call(let sent, let attempting):
                let (saga, logged) = try Self.logSent(moved, sent, attempting, store, self.lease, in: db)
                return Turn(saga: saga, logged: logged)
            case .end(let ended):
                try store.update(ended, leasedBy: self.lease, in: db)
                if ended.state != moved.state { try store.record(id, ended.state.rawValue, reason: "", atMicros: now, in: db) }
                return Turn(saga: ended)
            case .nothing:
                try store.update(moved, leasedBy: self.lease, in: db)
                return Turn(saga: moved)
            }
        }
        CrashPoints.reach(.sagaStepLogged, Self.context(id, due))
        SagaMetrics.finished(logged.saga, before: moved.state)
        if !logged.saga.state.isActive { self.logger(for: logged.saga).info("saga \(logged.saga.state)") }
        return logged
    }

    /// What the transaction that logs a step's success also logs.
    enum Following {
        /// The next call's attempt, `sent`.
        case call(SagaAttempt, Attempting)
        /// The end of the phase: the saga as it then is.
        case end(SagaRecord)
        /// Nothing: the next turn decides (a back-off, a query, a request that cannot be built).
        case nothing
    }

    /// What follows `saga` (its step just succeeded) in the same transaction: the phase's end if it
    /// has no call left; the next call if it is due at once — no outcome query, no threshold or
    /// budget reached, its request buildable; otherwise nothing.
    func loggedWithOutcome(_ saga: SagaRecord, _ definition: SagaDefinition, atMicros now: Int64) -> Following {
        guard let due = self.due(saga, definition) else {
            var ended = saga
            ended.endPhase(hasOnCompensated: definition.onCompensated != nil, atMicros: now)
            return .end(ended)
        }
        let policy = due.step.retry
        if saga.awaitingQuery || saga.tries >= policy.maxAttempts { return .nothing }
        if let deadline = due.deadlineMicros, now >= deadline { return .nothing }
        guard (try? due.action.prepare(saga.values)) != nil else { return .nothing }
        let timeout = min(policy.callTimeout.wholeMicroseconds, due.deadlineMicros.map { $0 - now } ?? .max)
        let attempting = Attempting(backoffMicros: 0, timeoutMicros: timeout)
        return .call(Self.sent(saga, due, attempting, atMicros: now), attempting)
    }

    /// A business refusal: before or at the pivot the saga compensates; anywhere else it is stuck.
    private func refused(
        _ saga: SagaRecord, _ definition: SagaDefinition, _ due: Due, reason: String, refusal: String? = nil
    ) async throws -> SagaRecord {
        if saga.phase == .forward, due.step.role != .forward {
            return try await self.compensate(saga, definition, first: nil, reason: reason, refusal: refusal)
        }
        return try await self.stick(saga, reason: reason)
    }

    /// Out of attempts or budget: a compensable step is compensated with the ones before it; the
    /// pivot compensates only if it was never called; anything else is stuck.
    private func giveUp(_ saga: SagaRecord, _ definition: SagaDefinition, _ due: Due, reason: String) async throws -> SagaRecord {
        guard saga.phase == .forward, due.step.role != .forward else {
            return try await self.stick(saga, reason: reason)
        }
        let calls = try await self.database.snapshot { [store] db in
            try store.callCount(saga.id, step: due.step.name, direction: .forward, in: db)
        }
        switch due.step.role {
        case .compensable:
            return try await self.compensate(saga, definition, first: calls > 0 ? due.step.name : nil, reason: reason)
        case .pivot where calls == 0:
            return try await self.compensate(saga, definition, first: nil, reason: reason)
        case .pivot, .forward:
            return try await self.stick(saga, reason: "\(reason); the pivot may have run, so the saga cannot compensate")
        }
    }

    private func compensate(
        _ saga: SagaRecord, _ definition: SagaDefinition, first: String?, reason: String, refusal: String? = nil
    ) async throws -> SagaRecord {
        let compensable = Set(definition.steps.filter { $0.role == .compensable }.map(\.name))
        let saga = try await self.save(saga, event: "compensating", reason: reason) { saga in
            saga.beginCompensation(first: first, compensable: compensable, reason: reason, refusal: refusal, atMicros: self.clock.nowMicros)
        }
        CrashPoints.reach(.sagaCompensating, saga.id)
        self.logger(for: saga).notice("saga compensating", metadata: ["saga.reason": "\(reason)"])
        return saga
    }

    private func stick(_ saga: SagaRecord, reason: String) async throws -> SagaRecord {
        let saga = try await self.save(saga, event: "stuck", reason: reason) { saga in saga.stick(reason: reason, atMicros: self.clock.nowMicros) }
        self.logger(for: saga).warning("saga stuck; waiting for an operator", metadata: ["saga.reason": "\(reason)"])
        return saga
    }

    /// Changes `saga` (the driver's record) in one transaction, recording `event` if given, else
    /// its new state if it changed; answers it as written.
    private func save(
        _ saga: SagaRecord, event: String?, reason: String = "", _ change: (inout SagaRecord) -> Void
    ) async throws -> SagaRecord {
        let now = self.clock.nowMicros
        var changed = saga
        change(&changed)
        let (store, written) = (self.store, changed)
        try await self.database.transaction { db in
            try store.update(written, leasedBy: self.lease, in: db)
            if let event {
                try store.record(written.id, event, reason: reason, atMicros: now, in: db)
            } else if written.state != saga.state {
                try store.record(written.id, written.state.rawValue, reason: "", atMicros: now, in: db)
            }
        }
        SagaMetrics.finished(written, before: saga.state)
        if event == nil, !written.state.isActive { self.logger(for: written).info("saga \(written.state)") }
        return written
    }

    /// A crash point's context for the call at `due`: `<saga id>/<step>/<direction>`.
    static func context(_ id: String, _ due: Due) -> String {
        CrashPoint.stepContext(id, due.step.name, due.direction)
    }

    static func label(_ due: Due) -> String {
        "\(due.step.name)/\(due.direction)"
    }
}
