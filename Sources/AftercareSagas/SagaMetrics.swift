import CoreMetrics

/// What the engine records through swift-metrics, labelled by the saga's definition (`kind`),
/// never by a saga's id: sagas started (`aftercare_saga_started_total{kind}`), sagas that reached
/// a state where the engine stops driving them (`aftercare_saga_finished_total{kind,state}`:
/// completed, compensated, stuck, resolved; a stuck saga an operator retries counts again when it
/// ends), and every call attempt by its result (`aftercare_saga_step_attempts_total{kind,step,result}`:
/// ok, refused, not_executed, unknown), and the sagas waiting out a back-off before their next
/// attempt (`aftercare_sagas_backing_off{kind}`, a gauge). Sagas are few next to calls, so each
/// record asks the metrics backend for its series.
enum SagaMetrics {
    static func started(_ definition: String) {
        Counter(label: "aftercare_saga_started_total", dimensions: [("kind", definition)]).increment()
    }

    /// Counts `saga` if it just left the active states (`before` was active, its state is not).
    static func finished(_ saga: SagaRecord, before: SagaState) {
        guard before.isActive else { return }
        Self.finished(saga)
    }

    /// Counts `saga` unless it is active: one that was active, or a stuck one an operator resolved
    /// (one retried runs again, and counts when it ends).
    static func finished(_ saga: SagaRecord) {
        guard !saga.state.isActive else { return }
        Counter(label: "aftercare_saga_finished_total", dimensions: [("kind", saga.definition), ("state", saga.state.rawValue)]).increment()
    }

    /// The result label of a call attempt.
    enum AttemptResult: String {
        case ok
        case refused
        case notExecuted = "not_executed"
        case unknown
    }

    /// Runs `wait` (a back-off) with the saga counted in `aftercare_sagas_backing_off{kind}`.
    static func backingOff(_ definition: String, _ wait: () async throws -> Void) async rethrows {
        let gauge = Meter(label: "aftercare_sagas_backing_off", dimensions: [("kind", definition)])
        gauge.increment()
        defer { gauge.decrement() }
        try await wait()
    }

    static func attempt(_ definition: String, step: String, _ result: AttemptResult) {
        Counter(label: "aftercare_saga_step_attempts_total", dimensions: [("kind", definition), ("step", step), ("result", result.rawValue)])
            .increment()
    }
}
