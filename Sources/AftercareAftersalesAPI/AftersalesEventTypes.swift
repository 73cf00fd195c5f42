/// The types of the events on aftersales' feed; `proto-spec/aftersales.proto` names each one's
/// payload.
public enum AftersalesEventTypes {
    /// A case was created (an application, or the linked case of a conversion). Payload `CaseChanged`.
    public static let opened = "aftersales.case.opened"
    /// A history entry: a transition, a carrier event kept in the history, evidence added. Payload `CaseChanged`.
    public static let changed = "aftersales.case.changed"
    /// The case entered a state that starts a saga. Payload `SagaRequested`.
    public static let sagaRequested = "aftersales.case.saga_requested"
    /// The case entered a terminal state. Payload `CaseChanged`.
    public static let closed = "aftersales.case.closed"
}
