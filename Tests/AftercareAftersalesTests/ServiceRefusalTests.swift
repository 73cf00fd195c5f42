@testable import AftercareAftersales
import AftercareAftersalesAPI
import AftercareRPC
import Testing

/// The hand-written illegal transitions (ExpectedTransitions.swift) sent through the service: each
/// is FAILED_PRECONDITION naming the case's state, and the database is left as it was.
@Suite("The service refuses the illegal transitions", .serialized)
struct ServiceRefusalTests {
    /// The illegal events the driver can send: a call exists for the event and a path reaches the
    /// state (`evaluate` has no call of its own, a case never rests in REQUESTED, and a timer can
    /// only fire while it runs).
    static func sendable(_ kind: CaseKind, _ state: CaseState, _ event: CaseEvent) -> Bool {
        if event == .evaluate { return false }
        if case .timer = event.source { return false }
        return ServicePaths.path(to: state, kind: kind) != nil
    }

    static let illegal: [(CaseKind, CaseState, CaseEvent)] = ExpectedTransitionsTests.illegal.filter { sendable($0.0, $0.1, $0.2) }

    @Test(arguments: illegal)
    func anIllegalCallIsRefusedAndChangesNothing(kind: CaseKind, state: CaseState, event: CaseEvent) async throws {
        try await AftersalesHarness.run { harness in
            var driver = ServiceDriver(harness, kind: kind)
            for step in ServicePaths.path(to: state, kind: kind)! {
                _ = try await driver.send(step)
            }
            try #require(try await harness.get(driver.caseID).record.state == state.rawValue)
            let dump = try await harness.dump()
            do {
                let response = try await driver.send(event)
                Issue.record("\(kind.rawValue) \(state.rawValue) accepted \(event.rawValue) → \(response.record.state)")
            } catch let error as RPCError {
                #expect(error.code == .failedPrecondition, "\(error)")
                #expect(error.message.contains("case is \(state.rawValue)"), "\(error.message)")
                #expect(error.message.contains(event.rawValue), "\(error.message)")
            }
            // Nothing changes but a saga's step ledger, which remembers the refusal (common.proto,
            // "Step ledgers"): a retry of the step gets the same answer.
            let after = try await harness.dump()
            let ledger = { (row: String) in row.hasPrefix("step_ledger:") }
            #expect(after.filter { !ledger($0) } == dump.filter { !ledger($0) })
            let remembered = Set(after).subtracting(dump)
            #expect(remembered.count == (event.source.isSaga ? 1 : 0) && Set(dump).isSubset(of: after))
            #expect(remembered.allSatisfy { ledger($0) && $0.contains("outcome:\"refused\"") && $0.contains("case is \(state.rawValue)") })
        }
    }

    @Test("the illegal rows the service cannot be sent")
    func theIllegalRowsNoCallSends() {
        let unsent = ExpectedTransitionsTests.illegal.filter { !Self.sendable($0.0, $0.1, $0.2) }
        #expect(unsent.map { "\($0.0.rawValue) | \($0.1.rawValue) | \($0.2.rawValue)" } == [
            "refund_only | REQUESTED | seller.approve",
            "refund_only | REQUESTED | saga Refund: refunded",
            "refund_only | AWAITING_EVIDENCE | evaluate",
            "return_and_refund | RETURN_CANCELLING | T_ship fired",
        ])
    }
}

extension CaseEvent.Source {
    /// Whether a saga's recording call sends the event.
    var isSaga: Bool {
        if case .saga = self { return true }
        return false
    }
}
