import AftercareCrashPoints
import AftercareTesting
import Foundation
import Testing

extension GatewayExecutableTests {
    /// A process SIGKILLed inside a group-commit batch of several callers — every body run in the
    /// batch's transaction, the commit not done (`database.batch-uncommitted`) — while refund
    /// journeys run side by side. None of the batch's callers was answered (a write returns only
    /// after its batch commits) and the batch is lost whole; each caller retries under its own
    /// idempotency key (the clients, the saga engine, the router's page) and gets it done once.
    @Suite("Group commit: SIGKILL inside a batch")
    struct GroupCommitKillTests {
        static let journeys = 12

        @Test("SIGKILLed inside a batch of several callers, before its commit, and restarted: every journey ends, nothing half-written, nothing done twice",
              arguments: ["gateway", "aftersales", "payments"])
        func killedInsideABatch(process name: String) async throws {
            try await GatewayWorld.run { world in
                // A batch of 2 to 9 bodies: several callers, whichever the process is serving.
                try await world.armCrashPoint(name, CrashSpec(.databaseBatchUncommitted, pattern: "[2-9]").description)
                let process = world.process(name)
                let earlier = CrashPointWalkTests.crashLines(process.log)
                let walked = Shared(false)
                let cases = Shared<[(Journey, String)]>([])
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        let ending = try await CrashPointWalkTests.watch(process, until: walked)
                        try #require(ending == .signalled(SIGKILL), "\(name) never died inside a batch of several: \(String(describing: ending))")
                        let lines = CrashPointWalkTests.crashLines(process.log)
                        #expect(lines.count == earlier.count + 1)
                        #expect(lines.last?.contains("crash.point=database.batch-uncommitted") == true, "\(lines.last ?? "no crash line")")
                        try await world.relaunch(name)
                    }
                    group.addTask {
                        defer { walked.change { $0 = true } }
                        try await withThrowingTaskGroup(of: Void.self) { journeys in
                            for index in 0..<Self.journeys {
                                journeys.addTask {
                                    let caseID = try await Journey.refundOnly.walk(world, tag: "gck\(index)")
                                    cases.change { $0.append((.refundOnly, caseID)) }
                                }
                            }
                            try await journeys.waitForAll()
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(cases.current.count == Self.journeys)
                // Every case refunded with its sagas completed, each refund paid once by the provider,
                // orders' totals and reservations right, every event in its inboxes once, reconciliation empty.
                _ = try await ChaosJudge.judge(cases.current, world)
            }
        }
    }
}
