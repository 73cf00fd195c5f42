import AftercareCrashPoints
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import GRDB
import Foundation
import Logging

/// The engine's loop: one call or outcome query per turn, each logged before and after.
extension SagaEngine {
    /// The call due at a saga's position.
    struct Due {
        var step: SagaStep
        var action: SagaAction
        var direction: SagaDirection
        /// When the budget covering this call runs out; `nil` for none (steps after the pivot).
        var deadlineMicros: Int64?
    }

    /// What a turn leaves for the next: the back-off to wait before it.
    typealias Wait = Duration

    func drive(_ id: String) async throws -> SagaRecord {
        let now = self.clock.nowMicros
        try await self.database.write { [store] db in
            guard try store.sagaForUpdate(id, in: db) != nil else { throw SagaError(.unknownSaga, "no saga has id \(id)") }
            try store.markInterrupted(id, atMicros: now, in: db)
        }
        var wait = Duration.zero
        while true {
            try Task.checkCancellation()
            let saga = try await self.requireSaga(id)
            guard saga.state.isActive else { return saga }
            guard let definition = self.definitions[saga.definition] else {
                throw SagaError(.unknownDefinition, "saga \(id) is of definition \(saga.definition), which this engine does not know")
            }
            guard let due = self.due(saga, definition) else {
                try await self.save(saga, event: nil) { saga in
                    saga.endPhase(hasOnCompensated: definition.onCompensated != nil, atMicros: self.clock.nowMicros)
                }
                continue
            }
            wait = try await self.turn(saga, definition, due, wait: wait)
        }
    }

    /// The call at the saga's position, or `nil` when its phase has none left.
    func due(_ saga: SagaRecord, _ definition: SagaDefinition) -> Due? {
        let compensationDeadline = (saga.compensationStartedMicros ?? saga.updatedMicros) + Self.micros(definition.compensationBudget)
        switch saga.phase {
        case .forward:
            guard saga.position < definition.steps.count else { return nil }
            let step = definition.steps[saga.position]
            let deadline = saga.position <= definition.pivotIndex ? saga.forwardStartedMicros + Self.micros(definition.forwardBudget) : nil
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
    private func turn(_ saga: SagaRecord, _ definition: SagaDefinition, _ due: Due, wait: Duration) async throws -> Wait {
        let policy = due.step.retry
        if wait > .zero {
            let left = due.deadlineMicros.map { Duration.microseconds(max(0, $0 - self.clock.nowMicros)) } ?? wait
            try await self.sleep(min(wait, left))
        }
        let now = self.clock.nowMicros
        if let deadline = due.deadlineMicros, now >= deadline {
            let budget = saga.phase == .forward ? "forward" : "compensation"
            try await self.giveUp(saga, definition, due, reason: "\(Self.label(due)) ran out of the \(budget) budget")
            return .zero
        }
        if saga.tries >= policy.maxAttempts {
            try await self.giveUp(saga, definition, due, reason: "\(Self.label(due)) failed \(saga.tries) attempts")
            return .zero
        }
        let timeout = min(Self.micros(policy.callTimeout), due.deadlineMicros.map { $0 - now } ?? .max)
        let context = Attempting(backoffMicros: Self.micros(wait), timeoutMicros: timeout)
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

    private func call(_ saga: SagaRecord, _ definition: SagaDefinition, _ due: Due, _ attempting: Attempting) async throws -> Wait {
        let store = self.store
        let now = self.clock.nowMicros
        let sent = SagaAttempt(
            sagaID: saga.id, seq: 0, step: due.step.name, direction: due.direction, kind: .call, attempt: 0, startedMicros: now,
            endedMicros: nil, result: .sent, statusCode: 0, message: "", backoffMicros: attempting.backoffMicros,
            timeoutMicros: attempting.timeoutMicros)
        do {
            try due.action.prepare(saga.values)
        } catch {
            var invalid = sent
            invalid.result = .invalid
            invalid.endedMicros = now
            invalid.statusCode = Int(RPCError.Code.invalidArgument.rawValue)
            invalid.message = "could not build the request: \(error)"
            try await self.database.write { [invalid] db in
                var attempt = invalid
                attempt.attempt = try store.callCount(saga.id, step: due.step.name, direction: due.direction, in: db) + 1
                _ = try store.append(attempt, in: db)
            }
            try await self.refused(saga, definition, due, reason: "\(Self.label(due)) could not build its request: \(error)")
            return .zero
        }
        let (seq, number) = try await self.database.write { db in
            guard var current = try store.sagaForUpdate(saga.id, in: db) else { throw SagaError(.unknownSaga, "saga \(saga.id) vanished") }
            var attempt = sent
            attempt.attempt = try store.callCount(saga.id, step: due.step.name, direction: due.direction, in: db) + 1
            let seq = try store.append(attempt, in: db)
            current.tries += 1
            current.awaitingQuery = true
            current.updatedMicros = now
            try store.update(current, in: db)
            return (seq, attempt.attempt)
        }
        CrashPoints.reach(.sagaCallLogged, Self.context(saga.id, due))
        guard let client = self.participants[due.action.participant] else {
            throw SagaError(.unknownParticipant, "no client for participant \(due.action.participant)")
        }
        let options = CallOptions(
            timeout: .microseconds(attempting.timeoutMicros),
            traceParent: TraceParent(traceID: saga.traceID, parentID: .random(in: 1...UInt64.max)),
            saga: SagaContext(sagaID: saga.id, step: due.step.name, direction: due.direction, attempt: UInt16(clamping: number)))
        let log = self.logger(for: saga)
        log.debug("calling \(due.action.method)", metadata: ["saga.step": "\(Self.label(due))", "saga.attempt": "\(number)"])
        do {
            let response = try await due.action.call(client, saga.values, options)
            SagaMetrics.attempt(saga.definition, step: due.step.name, .ok)
            CrashPoints.reach(.sagaReplyReceived, Self.context(saga.id, due))
            return try await self.succeeded(saga.id, due, seq: seq, result: .ok, response: response)
        } catch where Task.isCancelled {
            // Stopped mid-call: the attempt stays `sent`, and the next start asks the participant.
            throw CancellationError()
        } catch let error as RPCError {
            let ended = self.clock.nowMicros
            let code = Int(error.code.rawValue)
            if Self.refusalCodes.contains(error.code) {
                SagaMetrics.attempt(saga.definition, step: due.step.name, .refused)
                CrashPoints.reach(.sagaReplyReceived, Self.context(saga.id, due))
                try await self.database.write { db in
                    try store.finish(saga.id, seq: seq, result: .refused, statusCode: code, message: error.message, atMicros: ended, in: db)
                }
                try await self.refused(
                    saga, definition, due, reason: "\(Self.label(due)) was refused: \(error.code): \(error.message)", refusal: error.message)
                return .zero
            }
            let known = error.outcome == .notExecuted
            SagaMetrics.attempt(saga.definition, step: due.step.name, known ? .notExecuted : .unknown)
            log.info("\(due.action.method) failed", metadata: ["saga.step": "\(Self.label(due))", "error": "\(error)"])
            let tries = try await self.database.write { db in
                try store.finish(saga.id, seq: seq, result: known ? .notExecuted : .unknown, statusCode: code, message: error.message, atMicros: ended, in: db)
                guard var current = try store.sagaForUpdate(saga.id, in: db) else { throw SagaError(.unknownSaga, "saga \(saga.id) vanished") }
                current.awaitingQuery = !known
                current.updatedMicros = ended
                try store.update(current, in: db)
                return current.tries
            }
            // Not executed: back off and send again. Unknown: ask at once.
            return known ? due.step.retry.backoff(afterFailures: tries) : .zero
        }
    }

    // MARK: Outcome queries

    private func query(_ saga: SagaRecord, _ definition: SagaDefinition, _ due: Due, _ attempting: Attempting) async throws -> Wait {
        let store = self.store
        let now = self.clock.nowMicros
        guard let client = self.participants[due.action.participant] else {
            throw SagaError(.unknownParticipant, "no client for participant \(due.action.participant)")
        }
        let seq = try await self.database.write { db in
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
        let response: Aftercare_Common_V1_QueryStepResponse
        do {
            response = try await client.unary(
                StepMethods.queryStep, request,
                options: CallOptions(
                    timeout: .microseconds(attempting.timeoutMicros),
                    traceParent: TraceParent(traceID: saga.traceID, parentID: .random(in: 1...UInt64.max))))
        } catch where Task.isCancelled {
            throw CancellationError()
        } catch let error as RPCError {
            let ended = self.clock.nowMicros
            let tries = try await self.database.write { db in
                try store.finish(saga.id, seq: seq, result: .queryFailed, statusCode: Int(error.code.rawValue), message: error.message, atMicros: ended, in: db)
                guard var current = try store.sagaForUpdate(saga.id, in: db) else { throw SagaError(.unknownSaga, "saga \(saga.id) vanished") }
                current.tries += 1
                current.updatedMicros = ended
                try store.update(current, in: db)
                return current.tries
            }
            return due.step.retry.backoff(afterFailures: tries)
        }
        let entry: Aftercare_Common_V1_StepEntry? =
            due.direction == .forward ? (response.hasForward ? response.forward : nil) : (response.hasCompensate ? response.compensate : nil)
        switch entry?.outcome {
        case .done?:
            return try await self.succeeded(saga.id, due, seq: seq, result: .queriedDone, response: [UInt8](entry?.response ?? Data()))
        case .nothingToUndo?:
            return try await self.succeeded(saga.id, due, seq: seq, result: .queriedNothingToUndo, response: [UInt8](entry?.response ?? Data()))
        case .refused?:
            let code = Int(entry?.statusCode ?? 0)
            let message = entry?.statusMessage ?? ""
            let codeName = RPCError.Code(wire: UInt16(clamping: code))
            try await self.database.write { db in
                try store.finish(saga.id, seq: seq, result: .queriedRefused, statusCode: code, message: message, atMicros: self.clock.nowMicros, in: db)
            }
            try await self.refused(saga, definition, due, reason: "\(Self.label(due)) was refused: \(codeName): \(message)", refusal: message)
            return .zero
        default:
            let pending = entry?.outcome == .pending
            let tries = try await self.database.write { db in
                try store.finish(
                    saga.id, seq: seq, result: pending ? .queriedPending : .queriedAbsent, statusCode: 0,
                    message: pending ? "pending with an outside party" : "the participant never received it", atMicros: self.clock.nowMicros,
                    in: db)
                guard var current = try store.sagaForUpdate(saga.id, in: db) else { throw SagaError(.unknownSaga, "saga \(saga.id) vanished") }
                current.awaitingQuery = false
                try store.update(current, in: db)
                return current.tries
            }
            return due.step.retry.backoff(afterFailures: tries)
        }
    }

    // MARK: Outcomes

    /// The call at the position succeeded (live, or as the participant's ledger tells): absorb the
    /// response and move on, in one transaction with the attempt's result. Answers the back-off
    /// before the next attempt: none, unless the response says the step is still pending.
    private func succeeded(_ id: String, _ due: Due, seq: Int, result: SagaAttempt.Result, response: [UInt8]) async throws -> Wait {
        let store = self.store
        let now = self.clock.nowMicros
        let outcome: Result<Wait, any Error> = try await self.database.write { db in
            guard var saga = try store.sagaForUpdate(id, in: db) else { throw SagaError(.unknownSaga, "saga \(id) vanished") }
            do {
                var values = saga.values
                try due.action.absorb(response, &values)
                saga.values = values
            } catch let pending as SagaStepPending {
                // Answered, not settled: the same request goes again after a back-off (the
                // participant's ledger makes it a replay, or settles it first).
                try store.finish(id, seq: seq, result: .pending, statusCode: 0, message: pending.description, atMicros: now, in: db)
                saga.awaitingQuery = false
                saga.updatedMicros = now
                try store.update(saga, in: db)
                return .success(due.step.retry.backoff(afterFailures: max(saga.tries, 1)))
            } catch {
                try store.finish(id, seq: seq, result: result, statusCode: 0, message: "unreadable response: \(error)", atMicros: now, in: db)
                saga.stick(reason: "\(Self.label(due)) answered a response the saga cannot read: \(error)", atMicros: now)
                try store.update(saga, in: db)
                try store.record(id, "stuck", reason: saga.reason, atMicros: now, in: db)
                return .failure(error)
            }
            try store.finish(id, seq: seq, result: result, statusCode: 0, message: "", atMicros: now, in: db)
            saga.succeed(step: due.step.name)
            saga.updatedMicros = now
            try store.update(saga, in: db)
            return .success(.zero)
        }
        switch outcome {
        case .success(let wait):
            CrashPoints.reach(.sagaStepLogged, Self.context(id, due))
            return wait
        case .failure(let error):
            if let saga = try? await self.saga(id) { SagaMetrics.finished(saga) }
            self.logger.warning("saga stuck on an unreadable response", metadata: ["saga.id": "\(id)", "error": "\(error)"])
            return .zero
        }
    }

    /// A business refusal: before or at the pivot the saga compensates; anywhere else it is stuck.
    private func refused(_ saga: SagaRecord, _ definition: SagaDefinition, _ due: Due, reason: String, refusal: String? = nil) async throws {
        if saga.phase == .forward, due.step.role != .forward {
            try await self.compensate(saga.id, definition, first: nil, reason: reason, refusal: refusal)
        } else {
            try await self.stick(saga.id, reason: reason)
        }
    }

    /// Out of attempts or budget: a compensable step is compensated with the ones before it; the
    /// pivot compensates only if it was never called; anything else is stuck.
    private func giveUp(_ saga: SagaRecord, _ definition: SagaDefinition, _ due: Due, reason: String) async throws {
        guard saga.phase == .forward, due.step.role != .forward else {
            return try await self.stick(saga.id, reason: reason)
        }
        let calls = try await self.database.read { [store] db in
            try store.callCount(saga.id, step: due.step.name, direction: .forward, in: db)
        }
        switch due.step.role {
        case .compensable:
            try await self.compensate(saga.id, definition, first: calls > 0 ? due.step.name : nil, reason: reason)
        case .pivot where calls == 0:
            try await self.compensate(saga.id, definition, first: nil, reason: reason)
        case .pivot, .forward:
            try await self.stick(saga.id, reason: "\(reason); the pivot may have run, so the saga cannot compensate")
        }
    }

    private func compensate(_ id: String, _ definition: SagaDefinition, first: String?, reason: String, refusal: String? = nil) async throws {
        let compensable = Set(definition.steps.filter { $0.role == .compensable }.map(\.name))
        let saga = try await self.save(id, event: "compensating", reason: reason) { saga in
            saga.beginCompensation(first: first, compensable: compensable, reason: reason, refusal: refusal, atMicros: self.clock.nowMicros)
        }
        CrashPoints.reach(.sagaCompensating, id)
        self.logger(for: saga).notice("saga compensating", metadata: ["saga.reason": "\(reason)"])
    }

    private func stick(_ id: String, reason: String) async throws {
        let saga = try await self.save(id, event: "stuck", reason: reason) { saga in saga.stick(reason: reason, atMicros: self.clock.nowMicros) }
        self.logger(for: saga).warning("saga stuck; waiting for an operator", metadata: ["saga.reason": "\(reason)"])
    }

    /// Changes saga `id` in one transaction (its row locked), recording `event` if given.
    @discardableResult
    private func save(
        _ id: String, event: String?, reason: String = "", _ change: @escaping @Sendable (inout SagaRecord) -> Void
    ) async throws -> SagaRecord {
        let now = self.clock.nowMicros
        let (saga, before) = try await self.database.write { [store] db in
            guard var saga = try store.sagaForUpdate(id, in: db) else { throw SagaError(.unknownSaga, "saga \(id) vanished") }
            let before = saga.state
            change(&saga)
            try store.update(saga, in: db)
            if let event {
                try store.record(id, event, reason: reason, atMicros: now, in: db)
            } else if saga.state != before {
                try store.record(id, saga.state.rawValue, reason: "", atMicros: now, in: db)
            }
            return (saga, before)
        }
        SagaMetrics.finished(saga, before: before)
        if event == nil, !saga.state.isActive { self.logger(for: saga).info("saga \(saga.state)") }
        return saga
    }

    private func save(_ saga: SagaRecord, event: String?, _ change: @escaping @Sendable (inout SagaRecord) -> Void) async throws {
        try await self.save(saga.id, event: event, change)
    }

    /// A crash point's context for the call at `due`: `<saga id>/<step>/<direction>`.
    static func context(_ id: String, _ due: Due) -> String {
        CrashPoint.stepContext(id, due.step.name, due.direction)
    }

    static func label(_ due: Due) -> String {
        "\(due.step.name)/\(due.direction)"
    }

    static func micros(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
