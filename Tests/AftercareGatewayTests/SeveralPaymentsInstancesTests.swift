import AftercareCrashPoints
import AftercareGatewayAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// Two payments processes on one database (`database.shared`), each on its own socket, and the
    /// gateway configured with both: it spreads its calls over them and fails over. One is SIGKILLed
    /// in the middle of a refund, after the provider paid and before payments wrote it down (its
    /// lease on the intent row stays behind); the other takes the intent over once the lease has
    /// expired, asks the provider what it did, and finishes — while every later call goes to it.
    @Suite("Several payments instances")
    struct SeveralPaymentsInstancesTests {
        static let firstWave = 8
        static let secondWave = 4

        @Test("two payments processes behind the gateway, one SIGKILLed mid-refund: every refund completes once, the survivor serves the rest")
        func oneInstanceKilledMidRefund() async throws {
            let arguments = ["payments": ["--payments-lease-ms", "1500", "--payments-simulator-latency-ms", "100"]]
            try await GatewayWorld.run(arguments: arguments, instances: ["payments": 2]) { world in
                #expect(world.instances["payments"] == ["payments", "payments-2"])
                let victim = world.process("payments-2")
                #expect(victim.databasePath == world.process("payments").databasePath)
                // Its first refund: the provider answered, the instance dies before writing it down.
                let spec = CrashSpec(.providerAnswered).description
                try await victim.withClient { client in
                    _ = try await client.unary(OperatorMethods.armCrashPoint, .with { $0.spec = spec })
                }
                let cases = Shared<[(Journey, String)]>([])
                try await withThrowingTaskGroup(of: Void.self) { journeys in
                    for index in 0..<Self.firstWave {
                        journeys.addTask {
                            let caseID = try await Journey.refundOnly.walk(world, tag: "spi\(index)")
                            cases.change { $0.append((.refundOnly, caseID)) }
                        }
                    }
                    try await journeys.waitForAll()
                }
                // Had no refund of the first wave reached it, it is killed now, between refunds.
                let crashed = !victim.isRunning
                if !crashed { victim.kill() }
                let ending = try await victim.waitUntilEnded(within: .seconds(5))
                #expect(ending == .signalled(SIGKILL), "\(String(describing: ending))")
                #expect(crashed, "no refund of the first wave reached payments-2; it was SIGKILLed after them instead")
                var orphan: String?
                if crashed {
                    let line = victim.log.split(separator: "\n").first { $0.contains("crash point reached") } ?? ""
                    #expect(line.contains("crash.point=payments.provider-answered"), "\(line)")
                    orphan = line.firstMatch(of: /crash\.context=(\S+)/).map { String($0.1) }
                    #expect(orphan != nil, "\(line)")
                }

                // With one instance dead for good, the gateway keeps every call on the survivor.
                try await withThrowingTaskGroup(of: Void.self) { journeys in
                    for index in 0..<Self.secondWave {
                        journeys.addTask {
                            let caseID = try await Journey.refundOnly.walk(world, tag: "spj\(index)")
                            cases.change { $0.append((.refundOnly, caseID)) }
                        }
                    }
                    try await journeys.waitForAll()
                }
                #expect(cases.current.count == Self.firstWave + Self.secondWave)
                #expect(!victim.isRunning)
                #expect(world.process("payments").isRunning)

                // Health asks each instance, not whichever answers: the survivor up, the dead one down, each named.
                let health = try await world.cli.call(OperationsMethods.systemHealth, .init(), key: nil).services
                let payments = health.filter { $0.service == "payments" }
                #expect(payments.map(\.up) == [true, false], "\(payments.map { "\($0.instance) \($0.error)" })")
                #expect(payments.first?.instance.hasSuffix("/payments.sock") == true && payments.last?.instance.hasSuffix("/payments-2.sock") == true)
                // Refused at once (UNAVAILABLE), or, while its client backs off from the failed connects, not
                // reached within the probe's 3 s (DEADLINE_EXCEEDED, not executed).
                let why = payments.last?.error ?? ""
                #expect(why.contains("UNAVAILABLE") || why.contains("DEADLINE_EXCEEDED"), "\(why)")
                #expect(health.filter { $0.service != "payments" }.allSatisfy { $0.up && $0.instance.isEmpty })
                let printed = try await CLIProcess(world).run(["health", "--width", "400"])
                #expect(printed.status == 1, "\(printed.errors)")
                #expect(printed.output.split(separator: "\n").contains { $0.contains("payments-2.sock") && $0.contains("down") }, "\(printed.output)")

                // Every case refunded with its sagas completed, each refund paid once by the provider
                // (payments' books and the provider's agree), orders' totals right, reconciliation empty.
                _ = try await ChaosJudge.judge(cases.current, world)
                // No lease is left on a settled row.
                let leased = try await world.rows("payments", "SELECT COUNT(*) AS n FROM refunds WHERE lease_owner <> ''")[0]["n"] as Int64
                #expect(leased == 0)
                // The refund the victim died holding: paid by the provider once, and recorded by the survivor,
                // which took the expired lease over and asked the provider rather than sending it again.
                if let orphan {
                    let refund = try await world.rows("payments", "SELECT status FROM refunds WHERE intent_key = '\(orphan)'")
                    #expect(try refund.map { try $0["status"] as String } == ["succeeded"], "\(orphan)")
                    let asked = try world.providerRows(
                        "SELECT requests FROM provider_operations WHERE kind = 'refund' AND idempotency_key = '\(orphan)'")
                    #expect(try asked.map { try $0["requests"] as Int64 } == [1], "\(orphan)")
                }
            }
        }
    }
}
