import AftercareWire

/// The saga's moves, as pure changes of its record; the engine writes each in one transaction with
/// the attempt that caused it.
extension SagaRecord {
    /// The call at the current position succeeded: merge its output (done by the caller) and move on.
    mutating func succeed(step: String) {
        if self.phase == .forward { self.completed.append(step) }
        self.position += 1
        self.tries = 0
        self.awaitingQuery = false
    }

    /// The current phase has no call left: go to the next one.
    mutating func endPhase(hasOnCompensated: Bool, atMicros now: Int64) {
        switch self.phase {
        case .forward:
            self.finish(.completed)
        case .compensate where hasOnCompensated:
            self.phase = .onCompensated
            self.position = 0
            self.tries = 0
            self.awaitingQuery = false
        case .compensate, .onCompensated, .finished:
            self.finish(.compensated)
        }
        self.updatedMicros = now
    }

    private mutating func finish(_ state: SagaState) {
        self.state = state
        self.phase = .finished
        self.position = 0
        self.tries = 0
        self.awaitingQuery = false
    }

    /// Turns back: compensates `first` (a step given up on whose call may have run) and then the
    /// completed compensable steps, newest first; the reason (and the participant's refusal, if one
    /// turned it back) goes into the values for the on-compensated step.
    mutating func beginCompensation(first: String?, compensable: Set<String>, reason: String, refusal: String?, atMicros now: Int64) {
        self.compensations = (first.map { [$0] } ?? []) + self.completed.reversed().filter { compensable.contains($0) && $0 != first }
        self.state = .compensating
        self.phase = .compensate
        self.position = 0
        self.tries = 0
        self.awaitingQuery = false
        self.reason = reason
        self.values[SagaValues.compensationReasonKey] = reason
        self.values[SagaValues.refusalKey] = refusal
        self.compensationStartedMicros = now
        self.updatedMicros = now
    }

    /// Stops for an operator, where it is (an outcome query still due stays due).
    mutating func stick(reason: String, atMicros now: Int64) {
        self.state = .stuck
        self.reason = reason
        self.updatedMicros = now
    }

    /// An operator's retry: resume where it stopped, attempts counted and budget measured afresh.
    mutating func resume(atMicros now: Int64) {
        self.state = self.phase == .forward ? .running : .compensating
        self.tries = 0
        if self.phase == .forward {
            self.forwardStartedMicros = now
        } else {
            self.compensationStartedMicros = now
        }
        self.updatedMicros = now
    }
}
