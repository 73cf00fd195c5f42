import AftercareGatewayAPI
import AftercareRPC

/// What `saga watch` prints to a pipe: one line per change between two reads of a saga — its state,
/// each attempt that began or ended, each event of its history.
enum SagaChanges {
    /// The changes from `before` (`nil`: the first read) to `after`, oldest first.
    static func lines(from before: Aftercare_Gateway_V1_SagaView?, to after: Aftercare_Gateway_V1_SagaView) -> [String] {
        let saga = after.saga
        var lines: [(at: Int64, text: String)] = []
        if before?.saga.state != saga.state || before?.saga.step != saga.step {
            lines.append((saga.updatedAtUnixMicros, "\(saga.definition) saga \(saga.sagaID) \(saga.state) at \(saga.step.isEmpty ? "-" : saga.step)"))
        }
        let seen = Dictionary((before?.attempts ?? []).map { ($0.seq, $0.result) }, uniquingKeysWith: { _, last in last })
        for attempt in after.attempts where seen[attempt.seq] != attempt.result {
            let undo = attempt.direction == "compensate" ? " undo" : ""
            let status = attempt.statusCode == 0 ? "" : " " + RPCError.Code(wire: UInt16(clamping: attempt.statusCode)).description
            let took = attempt.endedAtUnixMicros > 0 ? " took \(Formatting.duration(attempt.endedAtUnixMicros - attempt.startedAtUnixMicros))" : " in flight"
            let message = attempt.message.isEmpty || attempt.result == "ok" ? "" : ": \(attempt.message)"
            let at = attempt.endedAtUnixMicros > 0 ? attempt.endedAtUnixMicros : attempt.startedAtUnixMicros
            lines.append((at, "\(attempt.step)\(undo) \(attempt.kind) \(attempt.attempt) \(attempt.result.isEmpty ? "started" : attempt.result)\(status)\(took)\(message)"))
        }
        let known = Set((before?.events ?? []).map(\.seq))
        for event in after.events where !known.contains(event.seq) {
            lines.append((event.atUnixMicros, "\(event.kind)\(event.reason.isEmpty ? "" : ": \(event.reason)")"))
        }
        return lines.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map { "\(Formatting.time($0.element.at))  \($0.element.text)" }
    }
}
