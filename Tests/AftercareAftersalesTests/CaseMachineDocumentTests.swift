import Foundation
import Testing

@testable import AftercareAftersales

/// `proto-spec/CASE-MACHINES.md` is what the tables produce now. To regenerate it after changing a
/// table: `AFTERCARE_WRITE_CASE_MACHINES=1 swift test --skip-build --filter CaseMachineDocumentTests`.
@Suite struct CaseMachineDocumentTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("proto-spec/CASE-MACHINES.md").path

    @Test func theCommittedDocumentIsWhatTheTablesProduce() throws {
        let generated = CaseMachineDocument.markdown()
        if ProcessInfo.processInfo.environment["AFTERCARE_WRITE_CASE_MACHINES"] == "1" {
            try generated.write(toFile: Self.path, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOfFile: Self.path, encoding: .utf8)
        #expect(committed == generated, "proto-spec/CASE-MACHINES.md is stale: regenerate it (see this suite's comment)")
    }

    @Test func theDocumentListsEveryRowOfEveryMachine() {
        let document = CaseMachineDocument.markdown()
        for kind in CaseKind.allCases {
            #expect(document.contains("## \(kind.title)"))
        }
        let rows = document.split(separator: "\n").filter { $0.hasPrefix("| `") && $0.split(separator: "|").count == 5 }
        let total = CaseKind.allCases.map { CaseMachine.machine(for: $0).rules.count }.reduce(0, +)
        #expect(rows.count == total)
        #expect(document.contains("| `PENDING_SELLER` | `seller.reject` | `seller_may_refuse`, `reason_code_and_evidence` | stop T_seller, start T_escalate | `REJECTED` |"))
    }
}
