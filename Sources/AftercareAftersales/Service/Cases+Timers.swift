import AftercareRPC
import AftercareServiceKit
import Logging

extension Cases {
    /// Fires every timer of `record` that is due by the service clock, earliest first: each firing
    /// is the machine's `T_… fired` event (a firing may stop the others). How many fired. `logger`
    /// (else the call's) is told of a firing the machine refused.
    @discardableResult
    func fireDue(_ record: inout CaseRecord, context: ServerContext?, logger: Logger? = nil, in db: any SQLConnection) throws -> Int {
        var fired = 0
        while let timer = try self.store.timers(record.caseID, in: db)
            .filter({ $0.status == .running && $0.deadlineMicros <= self.clock.nowMicros })
            .min(by: { $0.deadlineMicros < $1.deadlineMicros })
        {
            try self.fire(timer, on: &record, context: context, logger: logger ?? context?.logger, in: db)
            fired += 1
        }
        return fired
    }

    /// Fires up to `limit` due timers across cases (the background pass); the cases they moved.
    func fireDue(limit: Int, logger: Logger, in db: any SQLConnection) throws -> [String] {
        var moved: [String] = []
        for timer in try self.store.dueTimers(atMicros: self.clock.nowMicros, limit: limit, in: db) {
            var record = try self.loadForChange(timer.caseID, in: db)
            if try self.fireDue(&record, context: nil, logger: logger, in: db) > 0 {
                moved.append(record.caseID)
                db.logCommitted(
                    logger, "case timer fired", metadata: ["case.id": "\(record.caseID)", "case.state": "\(record.state.rawValue)"])
            }
        }
        return moved
    }

    /// One firing. A timer whose event the machine refuses (it should have been stopped) is marked
    /// stopped instead, so it never fires again.
    private func fire(_ timer: TimerRecord, on record: inout CaseRecord, context: ServerContext?, logger: Logger?, in db: any SQLConnection) throws {
        let action = CaseEventRequest(.fired(timer.timer), actor: "timer", actorID: timer.timer.rawValue)
        do {
            try self.apply(action, to: &record, context: context, in: db)
        } catch let error as RPCError where error.code == .failedPrecondition {
            try self.endTimer(timer.timer, of: record.caseID, as: .stopped, in: db)
            db.logCommitted(
                logger, "case timer refused by the machine; stopped", level: .warning,
                metadata: ["case.id": "\(record.caseID)", "timer": "\(timer.timer.rawValue)", "error": "\(error.message)"])
        }
    }
}
