import AftercareAftersalesAPI
import AftercareCrashPoints
import AftercareGateway
import AftercareGatewayAPI
import AftercareOrdersAPI
import AftercarePaymentsAPI
import AftercareRPC
import SwiftProtobuf
import AftercareSagas
import AftercareTesting
import Foundation
import Testing

extension GatewayExecutableTests {
    /// The crash-point registry walked: for every point and every saga that passes it, the process
    /// that passes it is armed (Operator `ArmCrashPoint`), SIGKILLs itself there while a client
    /// walks a journey through the saga, and is started again on the same data; the journey goes
    /// on, every saga of its case ends completed (or compensated, where the journey is one of
    /// refusal), and at the end reconciliation reports nothing.
    @Suite("Crash points: every point, every saga that passes it")
    struct CrashPointWalkTests {
        /// One planned death: where, at which spec, while which journey runs.
        struct Kill: Sendable, CustomStringConvertible {
            let process: String
            let spec: CrashSpec
            let journey: Journey

            var description: String { "\(self.process) at \(self.spec) during \(self.journey)" }
        }

        /// The journey that passes each saga, and the one that makes it compensate.
        static let journeys: [String: Journey] = [
            GatewaySagas.Name.refund: .refundOnly, GatewaySagas.Name.returnSetup: .returnNeverShipped,
            GatewaySagas.Name.carrierProgress: .returnInTransit, GatewaySagas.Name.returnCancellation: .returnWithdrawn,
            GatewaySagas.Name.returnToBuyer: .returnToBuyer, GatewaySagas.Name.exchangeFulfilment: .exchanged,
            GatewaySagas.Name.orderCancellation: .orderCancelled,
        ]
        static let compensating: [String: Journey] = [GatewaySagas.Name.refund: .declinedRefund, GatewaySagas.Name.returnSetup: .exchangeOutOfStock]

        /// Every point a process on `database` passes: on PostgreSQL all but `database.batch-uncommitted`,
        /// which only SQLite's group commit passes (PostgreSQL commits each transaction by itself).
        static func points(_ database: TestSQLDriver) -> [CrashPoint] {
            CrashPoint.all.filter { database == .sqlite || $0 != .databaseBatchUncommitted }
        }

        /// Every point × every saga (or feed, or service) that passes it, on `database`.
        static func plan(_ database: TestSQLDriver = .sqlite) -> [Kill] {
            let definitions = GatewaySagas.definitions()
            var kills: [Kill] = []
            func glob(_ definition: SagaDefinition, step: String? = nil) -> String {
                GatewaySagas.sagaID(definition.name, eventID: "") + "*" + (step.map { "/\($0)/forward" } ?? "")
            }
            for point in Self.points(database) {
                switch point {
                case .sagaStarted, .sagaCallLogged, .sagaCallSent, .sagaReplyReceived, .sagaStepLogged:
                    // Each point at another step of the saga, so the walk meets the pivot and the steps after it.
                    let offset = CrashPoint.all.firstIndex(of: point) ?? 0
                    for definition in definitions {
                        let step = point == .sagaStarted ? nil : definition.steps[offset % definition.steps.count].name
                        kills.append(Kill(process: "gateway", spec: CrashSpec(point, pattern: glob(definition, step: step)), journey: Self.journeys[definition.name]!))
                    }
                case .sagaCompensating:
                    for (name, journey) in Self.compensating.sorted(by: { $0.key < $1.key }) {
                        let definition = definitions.first { $0.name == name }!
                        kills.append(Kill(process: "gateway", spec: CrashSpec(point, pattern: glob(definition)), journey: journey))
                    }
                case .routerEventHandled:
                    for (source, journey) in [("orders", Journey.refundOnly), ("payments", .refundOnly), ("aftersales", .refundOnly), ("logistics", .returnInTransit), ("feedback", .returnInTransit)] {
                        kills.append(Kill(process: "gateway", spec: CrashSpec(point, pattern: "\(source)/*"), journey: journey))
                    }
                case .routerPageUncommitted:
                    // Killed with a page's writes done but not committed: the whole page comes again.
                    for (source, journey) in [("aftersales", Journey.refundOnly), ("orders", .refundOnly), ("logistics", .returnInTransit)] {
                        kills.append(Kill(process: "gateway", spec: CrashSpec(point, pattern: "\(source)/*"), journey: journey))
                    }
                case .stepUncommitted, .stepCommitted:
                    // Every participant of every saga, at the saga's last step on it (the first may only read).
                    for definition in definitions {
                        var seen: Set<String> = []
                        for step in definition.steps.reversed() where seen.insert(step.action.participant).inserted {
                            kills.append(Kill(process: step.action.participant, spec: CrashSpec(point, pattern: glob(definition, step: step.name)), journey: Self.journeys[definition.name]!))
                        }
                    }
                case .payCaptured:
                    kills.append(Kill(process: "gateway", spec: CrashSpec(point), journey: .refundOnly))
                case .refundOpened, .providerAnswered:
                    kills.append(Kill(process: "payments", spec: CrashSpec(point, pattern: "refund-*"), journey: .refundOnly))
                case .keyedCommitted:
                    for (service, journey) in [("orders", Journey.refundOnly), ("payments", .refundOnly), ("aftersales", .refundOnly), ("logistics", .returnInTransit)] {
                        kills.append(Kill(process: service, spec: CrashSpec(point), journey: journey))
                    }
                case .databaseBatchUncommitted:
                    // Every process, at its second batch after arming: a batch of whatever its journey writes
                    // (GroupCommitKillTests kills inside batches of several callers).
                    for process in GatewayWorld.serviceNames + ["gateway"] {
                        kills.append(Kill(process: process, spec: CrashSpec(point, hit: 2), journey: process == "logistics" ? .returnInTransit : .refundOnly))
                    }
                default:
                    Issue.record("crash point \(point) has no place in the walk")
                }
            }
            return kills
        }

        /// The plan in rounds of at most one kill per process, so the kills of a round run side by side.
        static func rounds(_ kills: [Kill]) -> [[Kill]] {
            var byProcess: [String: [Kill]] = [:]
            for kill in kills { byProcess[kill.process, default: []].append(kill) }
            let depth = byProcess.values.map(\.count).max() ?? 0
            return (0..<depth).map { index in byProcess.keys.sorted().compactMap { byProcess[$0]!.count > index ? byProcess[$0]![index] : nil } }
        }

        @Test(
            "every crash point, for every saga that passes it: SIGKILLed there and restarted, every saga ends completed or compensated, reconciliation reports nothing",
            arguments: TestSQLDriver.allCases)
        func walk(_ database: TestSQLDriver) async throws {
            let plan = Self.plan(database)
            #expect(Set(plan.map(\.spec.point)) == Set(Self.points(database)))
            // Payments is started again under its instance name (GatewayWorld's layout), so on
            // PostgreSQL too it takes back at once the in-flight leases the killed process left.
            try await GatewayWorld.run(
                arguments: ["payments": ["--payments-simulator-decline-amounts-ending-in", "99"]], onPostgres: database == .postgres
            ) { world in
                var number = 0
                for round in Self.rounds(plan) {
                    try await Self.run(round, numbered: number, world)
                    number += round.count
                }
                let report = try await world.cli.persist(OperationsMethods.reconcile, .init(), key: nil)
                #expect(report.disagreements.isEmpty, "\(report.disagreements.map(\.description_p))")
                let byPoint = Dictionary(grouping: plan, by: \.spec.point.name).map { "\($0.key) \($0.value.count)" }.sorted()
                print("crash-point walk on \(database): \(plan.count) SIGKILLs at \(Self.points(database).count) points (\(byPoint.joined(separator: ", "))); reconciliation: \(report.disagreements.count) disagreements")
                for state in ["running", "compensating", "stuck"] {
                    let unfinished = try await world.cli.persist(OperationsMethods.listSagas, .with { $0.state = state }, key: nil)
                    #expect(unfinished.sagas.isEmpty, "\(unfinished.sagas.map { "\($0.sagaID): \($0.state) \($0.reason)" })")
                }
            }
        }

        /// Arms each kill of the round, walks their journeys side by side while a watcher per kill
        /// starts its process again once it died; then checks each death and each case.
        static func run(_ round: [Kill], numbered first: Int, _ world: GatewayWorld) async throws {
            for kill in round { try await world.armCrashPoint(kill.process, kill.spec.description) }
            let walked = Shared(false)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for kill in round {
                    let process = world.process(kill.process)
                    let earlier = Self.crashLines(process.log)
                    group.addTask {
                        let ending = try await Self.watch(process, until: walked)
                        guard let ending else {
                            Issue.record("\(kill): the crash point was never reached")
                            return
                        }
                        #expect(ending == .signalled(SIGKILL), "\(kill): \(ending)")
                        // The process's log (kept across its restarts) gained one crash line, this point's.
                        let lines = Self.crashLines(process.log)
                        #expect(lines.count == earlier.count + 1, "\(kill)")
                        #expect(lines.last?.contains("crash.point=\(kill.spec.point.name)") == true, "\(kill): \(lines.last ?? "no crash line")")
                        try await world.relaunch(kill.process)
                    }
                }
                group.addTask {
                    defer { walked.change { $0 = true } }
                    try await withThrowingTaskGroup(of: Void.self) { journeys in
                        for (index, kill) in round.enumerated() {
                            journeys.addTask {
                                let caseID = try await kill.journey.walk(world, tag: "cpw\(first + index)")
                                try await Self.check(caseID, kill, world)
                            }
                        }
                        try await journeys.waitForAll()
                    }
                }
                try await group.waitForAll()
            }
        }

        /// Waits for `process` to die; answers how, or `nil` if the journeys ended (and a second
        /// more passed) without its death.
        static func watch(_ process: ServiceProcess, until walked: Shared<Bool>) async throws -> ServiceProcess.Ending? {
            var graceEnds: ContinuousClock.Instant?
            while true {
                if let ending = try await process.waitUntilEnded(within: .milliseconds(100)) { return ending }
                if walked.current {
                    if graceEnds == nil { graceEnds = .now + .seconds(1) }
                    if let end = graceEnds, ContinuousClock.now > end { return nil }
                }
            }
        }

        /// The lines of a process's log that say it reached its crash point.
        static func crashLines(_ log: String) -> [Substring] {
            log.split(separator: "\n").filter { $0.contains("crash point reached") }
        }

        /// The case got where its journey leads, and every saga of it ended as the journey expects
        /// (for an order's cancellation: the order cancelled and its payment refunded once).
        static func check(_ caseID: String, _ kill: Kill, _ world: GatewayWorld) async throws {
            if kill.journey == .orderCancelled {
                let view = try await world.steadyOrder(caseID) { $0.status == .cancelled }
                #expect(view.order.status == .cancelled && view.order.refunded == view.order.paid, "\(kill): order \(caseID)")
                #expect(view.refunds.map(\.status) == [.refundSucceeded], "\(kill): order \(caseID)")
                return
            }
            let view = try await world.steadyCase(caseID, while: [])
            #expect(view.record.state == kill.journey.finalState, "\(kill): case \(caseID)")
            for saga in view.sagas {
                #expect(saga.state == "completed" || kill.journey.sagaEndings.contains("\(saga.definition): \(saga.state)"), "\(kill): \(saga.sagaID) \(saga.state) \(saga.reason)")
            }
        }
    }
}
