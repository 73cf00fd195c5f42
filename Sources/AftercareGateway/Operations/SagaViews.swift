import AftercareGatewayAPI
import AftercareSagas
import AftercareWire

extension Aftercare_Gateway_V1_SagaSummary {
    /// `saga` as lists show it; `caseID` from the ``CaseSagaIndex`` (or its values).
    init(_ saga: SagaRecord, definition: SagaDefinition?, caseID: String?) {
        self.init()
        self.sagaID = saga.id
        self.definition = saga.definition
        self.state = saga.state.rawValue
        self.phase = saga.phase.rawValue
        self.step = definition.map { saga.currentStep(in: $0) } ?? ""
        self.caseID = caseID ?? saga.values[SagaKey.caseID] ?? ""
        self.traceID = saga.traceID.description
        self.reason = saga.reason
        self.createdAtUnixMicros = saga.createdMicros
        self.updatedAtUnixMicros = saga.updatedMicros
        self.completed = saga.completed
        self.compensations = saga.compensations
    }
}

extension Aftercare_Gateway_V1_SagaView {
    /// `saga` in full, with its definition's steps, attempts and history.
    init(_ saga: SagaRecord, definition: SagaDefinition?, caseID: String?, attempts: [SagaAttempt], events: [SagaEvent]) {
        self.init()
        self.saga = Aftercare_Gateway_V1_SagaSummary(saga, definition: definition, caseID: caseID)
        self.attempts = attempts.map(Aftercare_Gateway_V1_SagaAttempt.init)
        self.events = events.map(Aftercare_Gateway_V1_SagaEvent.init)
        self.values = saga.values.entries
        if let definition {
            self.steps = definition.steps.map { Aftercare_Gateway_V1_SagaStepInfo($0, role: $0.role.rawValue) }
            if let onCompensated = definition.onCompensated {
                self.steps.append(Aftercare_Gateway_V1_SagaStepInfo(onCompensated, role: "on_compensated"))
            }
        }
    }
}

extension Aftercare_Gateway_V1_SagaStepInfo {
    init(_ step: SagaStep, role: String) {
        self.init()
        self.name = step.name
        self.role = role
        self.participant = step.action.participant
        self.method = step.action.method
        self.compensationMethod = step.compensation?.method ?? ""
    }
}

extension Aftercare_Gateway_V1_SagaAttempt {
    init(_ attempt: SagaAttempt) {
        self.init()
        self.seq = Int64(attempt.seq)
        self.step = attempt.step
        self.direction = attempt.direction.description
        self.kind = attempt.kind.rawValue
        self.attempt = UInt32(clamping: attempt.attempt)
        self.startedAtUnixMicros = attempt.startedMicros
        self.endedAtUnixMicros = attempt.endedMicros ?? 0
        self.result = attempt.result.rawValue
        self.statusCode = UInt32(clamping: attempt.statusCode)
        self.message = attempt.message
        self.backoffMicros = attempt.backoffMicros
        self.timeoutMicros = attempt.timeoutMicros
    }
}

extension Aftercare_Gateway_V1_SagaEvent {
    init(_ event: SagaEvent) {
        self.init()
        self.seq = Int64(event.seq)
        self.atUnixMicros = event.atMicros
        self.kind = event.kind
        self.reason = event.reason
    }
}
