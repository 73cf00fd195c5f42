import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareRPC
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// The review policy's operator tools through `Operations` and `aftercare policy`.
    @Suite("Policy tools")
    struct PolicyToolsTests {
        @Test("policy show; replay finds a stored decision the same; dry-run lists the decisions a candidate would change, explained; a broken candidate names its line; only operators")
        func policyTools() async throws {
            try await GatewayWorld.run { world in
                let refunded = try await CLITests.refundCase(world, sku: "sku_policy", price: 2_500)
                let caseID = refunded.record.caseID
                #expect(refunded.decision.decidingRule == "unshipped_refund_only")
                let cli = try await CLIProcess(world)

                let shown = try await cli.json(["policy", "show"])
                #expect(shown.string("policy", "version") == "default-1")
                #expect((shown["policy", "timer_seconds"] as? [String: Any])?["T_seller"] as? Int == 48 * 3_600)

                let replay = try await cli.json(["policy", "replay", caseID])
                #expect(replay["replay", "equal"] as? Bool == true)
                #expect(replay.string("replay", "stored", "case_id") == caseID)
                #expect(replay.string("replay", "replayed", "deciding_rule") == "unshipped_refund_only")
                let replayText = try await cli.run(["policy", "replay", caseID])
                #expect(replayText.status == 0 && replayText.output.contains("the same"), "\(replayText.output)")
                let missing = try await cli.run(["policy", "replay", "cas_nosuchcase", "--json"])
                #expect(missing.status == 1 && missing.errors.contains("NOT_FOUND"), "\(missing.errors)")

                // A candidate that sends unshipped refunds to the seller instead of approving them.
                let current = try String(contentsOfFile: "\(RepositoryPaths.root)/services/aftersales/policy.yaml", encoding: .utf8)
                let approving = """
                    when: [refund_only, order_not_shipped]
                        outcome: approve
                    """
                #expect(current.contains(approving))
                let candidate = current.replacingOccurrences(of: "version: default-1", with: "version: candidate-2")
                    .replacingOccurrences(of: approving, with: approving.replacingOccurrences(of: "approve", with: "seller_review"))
                let files = try TemporaryDirectory()
                let candidateFile = files.appending("candidate.yaml")
                try candidate.write(toFile: candidateFile, atomically: true, encoding: .utf8)
                let dryRun = try await cli.json(["policy", "dry-run", candidateFile, "--since", "1h"])
                #expect(dryRun.string("dry_run", "candidate_version") == "candidate-2")
                #expect(dryRun["dry_run", "examined"] as? Int ?? 0 >= 1)
                let changes = dryRun["dry_run", "changes"] as? [[String: Any]] ?? []
                let change = changes.first { $0.string("case_id") == caseID }
                #expect(change?.string("before_outcome") == "approve" && change?.string("after_outcome") == "seller_review", "\(changes)")
                #expect(change?.string("after_sentence").isEmpty == false)
                let dryRunText = try await cli.run(["policy", "dry-run", candidateFile])
                #expect(dryRunText.output.contains("case \(caseID)") && dryRunText.output.contains("candidate: seller_review"), "\(dryRunText.output)")
                let unchanged = try await cli.json(["policy", "dry-run", "\(RepositoryPaths.root)/services/aftersales/policy.yaml"])
                #expect((unchanged["dry_run", "changes"] as? [Any] ?? []).isEmpty)

                let broken = files.appending("broken.yaml")
                try candidate.replacingOccurrences(of: "outcome: seller_review", with: "outcome: maybe").write(toFile: broken, atomically: true, encoding: .utf8)
                let refused = try await cli.run(["policy", "dry-run", broken, "--json"])
                #expect(refused.status == 1 && refused.errors.contains("INVALID_ARGUMENT") && refused.errors.contains("policy_yaml"), "\(refused.errors)")
                #expect(refused.errors.contains("line"), "\(refused.errors)")

                try await expectStatus(.permissionDenied, containing: "Operations/ReplayDecision") {
                    _ = try await world.support.call(OperationsMethods.replayDecision, .with { $0.caseID = caseID }, key: nil)
                }
                try await expectStatus(.invalidArgument, containing: "case_id") {
                    _ = try await world.cli.call(OperationsMethods.replayDecision, .init(), key: nil)
                }
            }
        }
    }
}
