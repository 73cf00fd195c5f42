import AftercareRPC
import Logging

/// Where a fact about a case on an order line comes from: a call (`RecordCaseOpened`,
/// `RecordCaseClosed`, kept for compatibility) or an event of aftersales' feed, applied by
/// feedback's follower of that feed (``AftersalesCaseWriter``).
enum CaseFactOrigin: CustomStringConvertible {
    /// A call, served in this context.
    case call(ServerContext)
    /// An event of aftersales' feed, applied with this logger.
    case event(Aftercare_Common_V1_Event, logger: Logger)

    /// The call's context; `nil` for an event.
    var context: ServerContext? {
        guard case .call(let context) = self else { return nil }
        return context
    }

    /// Where what the fact changes is logged.
    var logger: Logger {
        switch self {
        case .call(let context): context.logger
        case .event(_, let logger): logger
        }
    }

    /// `event`, an event feedback writes because of this fact, in the trace of the aftersales event
    /// the fact came from (an event written in a call takes the call's trace when it is appended).
    func traced(_ event: Aftercare_Common_V1_Event) -> Aftercare_Common_V1_Event {
        guard case .event(let cause, _) = self, event.traceID.isEmpty else { return event }
        var event = event
        event.traceID = cause.traceID
        return event
    }

    /// `call`, or `<source> event <seq> <id>`.
    var description: String {
        switch self {
        case .call: "call"
        case .event(let event, _): "\(event.source) event \(event.seq) \(event.eventID)"
        }
    }
}
