extension SagaRecord {
    /// The step the saga is at — the next call of its phase — or, once finished, the last one it
    /// ran; empty when it never ran one.
    public func currentStep(in definition: SagaDefinition) -> String {
        switch self.phase {
        case .forward where self.position < definition.steps.count: definition.steps[self.position].name
        case .compensate where self.position < self.compensations.count: self.compensations[self.position]
        case .onCompensated: definition.onCompensated?.name ?? ""
        default:
            if self.state == .compensated, let onCompensated = definition.onCompensated { onCompensated.name }
            else { self.compensations.last ?? self.completed.last ?? "" }
        }
    }
}
