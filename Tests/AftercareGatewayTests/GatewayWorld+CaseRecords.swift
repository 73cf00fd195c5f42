@testable import AftercareAftersales
import Testing
import AftercareServiceKit
import Foundation

extension GatewayWorld {
    /// Puts aftersales' case `caseID` in `state` (`REFUNDING`, …) behind its back: its stored
    /// record and the columns that copy it (state, closed), as a bug or a hand edit could leave it.
    /// Answers how many cases it changed.
    @discardableResult
    func rewriteCaseState(_ caseID: String, to state: String) async throws -> Int {
        let state = try #require(CaseState(rawValue: state))
        return try await self.writing("aftersales") { db in
            guard let data = try db.queryValue("SELECT record FROM cases WHERE case_id = ?", [caseID], as: Data.self) else { return 0 }
            var record = try CaseRecord(storedData: data)
            record.state = state
            return try db.execute(
                "UPDATE cases SET state = ?, closed = ?, record = ? WHERE case_id = ?",
                [record.state.rawValue, record.isClosed, try record.storedData(), caseID])
        }
    }
}
