import AftercareAftersalesAPI
import AftercareRPC
import AftercareServiceKit
import AftercareWire
import Logging
import SwiftProtobuf

/// Aftersales' operations on cases, each inside the caller's write transaction: the change, its
/// history entry, its timers and its feed events commit together, or not at all.
struct Cases: Sendable {
    let store: AftersalesStore
    let feed: EventFeed
    let clock: ServiceClock
    /// The policy in force: it decides new cases and sets timer durations.
    let policy: ReviewPolicy

    /// The case `caseID`, or NOT_FOUND naming `field`.
    func load(_ caseID: String, field: String = "case_id", in db: any SQLConnection) throws -> CaseRecord {
        guard let record = try self.store.caseRecord(caseID, in: db) else {
            throw RPCError.notFound(field, kind: "case", id: caseID)
        }
        return record
    }

    /// The case `caseID` for a change: its row lock taken first, then read.
    func loadForChange(_ caseID: String, field: String = "case_id", in db: any SQLConnection) throws -> CaseRecord {
        guard try self.store.lockCase(caseID, in: db) else {
            throw RPCError.notFound(field, kind: "case", id: caseID)
        }
        return try self.load(caseID, field: field, in: db)
    }

    /// The case as the API answers it: with evidence, timers and history.
    func answer(_ record: CaseRecord, in db: any SQLConnection) throws -> Aftercare_Aftersales_V1_CaseResponse {
        var response = Aftercare_Aftersales_V1_CaseResponse()
        response.record = try self.message(record, in: db)
        response.history = try self.store.history(record.caseID, in: db).map(\.proto)
        return response
    }

    /// The case's message, with evidence and timers.
    func message(_ record: CaseRecord, in db: any SQLConnection) throws -> Aftercare_Aftersales_V1_Case {
        record.proto(evidence: try self.store.evidence(record.caseID, in: db), timers: try self.store.timers(record.caseID, in: db))
    }

    /// Refuses an action decided on another version: ABORTED, nothing executed.
    static func requireVersion(_ version: UInt64, of record: CaseRecord) throws {
        guard version == UInt64(record.version) else {
            throw RPCError(
                .aborted,
                "version: case \(record.caseID) is at version \(record.version) (\(record.state.rawValue)), not \(version); read it again",
                outcome: .notExecuted)
        }
    }

    /// Refuses an actor who is not the case's party: PERMISSION_DENIED naming `actor_id`.
    static func requireParty(_ actorID: String, _ party: CaseParty, of record: CaseRecord) throws {
        let expected = party == .buyer ? record.buyerID : record.sellerID
        guard party == .platform || actorID == expected else {
            throw RPCError(
                .permissionDenied, "actor_id: \(actorID) is not the \(party.rawValue) of case \(record.caseID)", outcome: .notExecuted)
        }
    }

    /// Writes a history entry that moves nothing (the case opened, evidence added): the version is
    /// raised, the entry kept and announced.
    func appendEntry(
        _ event: String, actor: String, actorID: String, note: String = "", effects: [String] = [], to record: inout CaseRecord,
        from: String? = nil, context: ServerContext?, in db: any SQLConnection
    ) throws -> HistoryEntryRecord {
        record.version += 1
        record.updatedAtMicros = self.clock.nowMicros
        var entry = HistoryEntryRecord(
            seq: record.version, event: event, actor: actor, actorID: actorID, from: from ?? record.state.rawValue,
            to: record.state.rawValue, atMicros: record.updatedAtMicros, note: note, effects: effects)
        Self.stamp(&entry, context: context)
        try self.store.append(entry, caseID: record.caseID, in: db)
        return entry
    }

    /// Copies the call's saga and trace into an entry.
    static func stamp(_ entry: inout HistoryEntryRecord, context: ServerContext?) {
        guard let context else { return }
        entry.traceID = context.traceID.description
        if let saga = context.saga {
            entry.sagaID = saga.sagaID
            entry.sagaStep = saga.step
        }
    }

    // MARK: Events

    /// Puts a `type` event about the case `record` (``message(_:in:)``, built once for all the
    /// events of one change) and `entry` on the feed, for the case's buyer and seller.
    func publish(
        _ type: String, _ record: Aftercare_Aftersales_V1_Case, entry: HistoryEntryRecord?, context: ServerContext?, in db: any SQLConnection
    ) throws {
        var change = Aftercare_Aftersales_V1_CaseChanged()
        change.record = record
        if let entry { change.entry = entry.proto }
        try self.append(type, payload: change, record, context: context, in: db)
    }

    /// Puts `aftersales.case.saga_requested` for `saga` on the feed, about the case `record`.
    func publishSaga(
        _ saga: CaseSaga, _ record: Aftercare_Aftersales_V1_Case, entrySeq: Int64, context: ServerContext?, in db: any SQLConnection
    ) throws {
        var request = Aftercare_Aftersales_V1_SagaRequested()
        request.saga = saga.rawValue
        request.record = record
        request.entrySeq = entrySeq
        try self.append(AftersalesEventTypes.sagaRequested, payload: request, record, context: context, in: db)
        db.logCommitted(
            context?.logger, "case requests a saga",
            metadata: ["case.id": "\(record.caseID)", "case.state": "\(record.state)", "saga": "\(saga.rawValue)"])
    }

    private func append(
        _ type: String, payload: some SwiftProtobuf.Message, _ record: Aftercare_Aftersales_V1_Case, context: ServerContext?,
        in db: any SQLConnection
    ) throws {
        var subjects = Aftercare_Common_V1_EventSubjects()
        subjects.orderID = record.orderID
        subjects.caseID = record.caseID
        _ = try self.feed.append(
            Aftercare_Common_V1_Event(type: type, payload: payload, subjects: subjects, buyerID: record.buyerID, sellerID: record.sellerID),
            context: context, in: db)
    }
}
