import AftercareRPC
import AftercareServiceKit

extension Cases {
    /// While the platform arbitrates (ESCALATED, ESCALATED_HELD), who may still add evidence: once
    /// the platform has asked one party, only that party (and the platform) until `T_arbiter`
    /// ends the window; after that, nobody until the platform asks again. Before any request,
    /// either party may.
    func requireEvidenceWindow(_ party: CaseParty, of record: CaseRecord, in db: any SQLConnection) throws {
        guard [.escalated, .escalatedHeld].contains(record.state), party != .platform, let asked = record.evidenceRequestedFrom else { return }
        let end = try self.store.timers(record.caseID, in: db).first { $0.timer == .arbiter }.map { FactTimeText.date($0.deadlineMicros) }
        let window = CaseTimer.arbiter.rawValue
        if record.evidenceWindowClosed {
            throw RPCError.failedPrecondition(
                "the evidence window (\(window)) of case \(record.caseID) closed\(end.map { " at \($0)" } ?? ""): no more evidence until the platform asks again")
        }
        guard party == asked else {
            throw RPCError.failedPrecondition(
                "the platform asked the \(asked.rawValue) for evidence on case \(record.caseID), until \(end ?? "its window ends") (\(window)): "
                    + "the \(party.rawValue) may not add evidence now")
        }
    }
}
