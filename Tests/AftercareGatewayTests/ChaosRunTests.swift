import AftercareAftersalesAPI
import AftercareGatewayAPI
import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Foundation
import SwiftProtobuf
import Testing

extension GatewayExecutableTests {
    /// The randomized chaos run: cases of the three kinds and paid orders cancelled, failures mixed in, walked concurrently
    /// while a bounded loop SIGKILLs random processes and starts them again; then the clock moves
    /// eight days (the buyers who never shipped see T_ship fire) and ``ChaosJudge`` checks the books.
    ///
    /// `AFTERCARE_CHAOS_CASES` (default 231, at least 220: 60 per case kind and 40 cancellations), `AFTERCARE_CHAOS_CONCURRENCY`
    /// (default 12), `AFTERCARE_CHAOS_SEED` (default 1) and `AFTERCARE_CHAOS_KILLS` (kills of each
    /// process at least, default 5) change it; `make chaos N=…` runs a longer one.
    @Suite("Chaos: cases of every kind while processes are SIGKILLed at random")
    struct ChaosRunTests {
        /// Each case kind three times in eleven, a third of each failing in its own way, and two
        /// paid orders cancelled.
        static let pattern: [Journey] = [
            .refundOnly, .returnRefunded, .exchanged, .orderCancelled, .refundOnly, .returnRefunded, .exchanged, .declinedRefund,
            .returnNeverShipped, .exchangeOutOfStock, .orderCancelled,
        ]
        static let processes = GatewayWorld.serviceNames + ["gateway"]

        /// A run's size, from the environment: `minimumCases` is the least `AFTERCARE_CHAOS_CASES` may ask.
        struct Settings: Sendable {
            var cases: Int
            var concurrency: Int
            var seed: UInt64 = 1
            var killsEach = 5
            /// How long a gateway stays down after every second kill of it, when set: longer than
            /// the saga lease, so the other gateway takes its sagas over meanwhile.
            var gatewayOutage: Duration?

            init(_ environment: [String: String], cases: Int = 231, minimumCases: Int = 220, concurrency: Int = 12) {
                func number(_ key: String) -> Int? { environment[key].flatMap { Int($0) } }
                self.cases = max(number("AFTERCARE_CHAOS_CASES") ?? cases, minimumCases)
                self.concurrency = max(number("AFTERCARE_CHAOS_CONCURRENCY") ?? concurrency, 1)
                self.seed = UInt64(max(number("AFTERCARE_CHAOS_SEED") ?? 1, 0))
                self.killsEach = max(number("AFTERCARE_CHAOS_KILLS") ?? self.killsEach, 1)
            }
        }

        @Test("cases of every kind with declines, out-of-stock and buyers who never ship, and paid orders cancelled, while every process is SIGKILLed at random: the books agree")
        func chaos() async throws {
            let settings = Settings(ProcessInfo.processInfo.environment)
            try await GatewayWorld.run(
                arguments: [
                    "payments": ["--payments-simulator-decline-amounts-ending-in", "99"],
                    "aftersales": ["--aftersales-timers-interval-ms", "50"],
                ]
            ) { world in
                try await Self.run(settings, killing: Self.processes, in: world, named: "chaos run")
            }
        }

        /// The run itself, in a world started for it: `settings.cases` journeys walked while the
        /// `processes` are SIGKILLed in turn; eight days on; judged by ``ChaosJudge``; its summary
        /// printed under `name`.
        static func run(_ settings: Settings, killing processes: [String], in world: GatewayWorld, named name: String) async throws {
            let journeys = (0..<settings.cases).map { Self.pattern[$0 % Self.pattern.count] }
            let started = ContinuousClock.now
            let walked = Shared<[(Journey, String)]>([])
            let kills = try await Self.withKills(world, processes, settings) {
                try await Self.walk(journeys, concurrency: settings.concurrency, world) { journey, caseID in
                    walked.change { $0.append((journey, caseID)) }
                }
            }
            let cases = walked.current
            #expect(cases.count == journeys.count, "\(journeys.count - cases.count) journeys did not finish")
            let walkedFor = ContinuousClock.now - started

            // Eight days on: T_ship closes the returns never shipped, T_offer the unanswered offers.
            _ = try await world.direct["aftersales"]!.unary(OperatorMethods.advanceClock, .with { $0.byMicros = 8 * 86_400_000_000 })
            let verdict = try await ChaosJudge.judge(cases, world)
            print(
                """
                \(name): \(cases.count) cases in \(Self.seconds(walkedFor)) \
                at \(settings.concurrency) concurrent, seed \(settings.seed); \
                SIGKILLs \(processes.map { "\($0) \(kills[$0, default: 0])" }.joined(separator: ", "))
                \(verdict.summary)
                """)
        }

        static func seconds(_ duration: Duration) -> String {
            let (seconds, attoseconds) = duration.components
            return "\(seconds).\(attoseconds / 100_000_000_000_000_000) s"
        }

        /// Walks `journeys` with `concurrency` clients at once; a journey that fails is recorded
        /// and the rest go on.
        static func walk(
            _ journeys: [Journey], concurrency: Int, _ world: GatewayWorld, done: @escaping @Sendable (Journey, String) -> Void
        ) async throws {
            let next = Shared(0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        while true {
                            let index = next.change { value -> Int in
                                defer { value += 1 }
                                return value
                            }
                            guard index < journeys.count else { return }
                            do {
                                done(journeys[index], try await journeys[index].walk(world, tag: "chaos\(index)"))
                            } catch {
                                Issue.record("journey \(index) (\(journeys[index])) failed: \(error)")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }

        /// Runs `body` while a loop SIGKILLs a random one of `processes` every 0.4–1.2 s (every
        /// process in turn of a shuffled round, so each dies about as often), down for up to 0.3 s
        /// before it starts again (a gateway, every second time, for `settings.gatewayOutage` when
        /// set); the loop goes on after `body` until each process died `killsEach` times. Answers
        /// the kills per process.
        static func withKills(
            _ world: GatewayWorld, _ processes: [String], _ settings: Settings, _ body: @escaping @Sendable () async throws -> Void
        ) async throws -> [String: Int] {
            let finished = Shared(false)
            return try await withThrowingTaskGroup(of: [String: Int].self) { group in
                group.addTask {
                    defer { finished.change { $0 = true } }
                    try await body()
                    return [:]
                }
                group.addTask {
                    var generator = SplitMix64(seed: settings.seed)
                    var kills: [String: Int] = [:]
                    var round: [String] = []
                    while !(finished.current && processes.allSatisfy { kills[$0, default: 0] >= settings.killsEach }) {
                        try await Task.sleep(for: .milliseconds(Int.random(in: 400...1_200, using: &generator)))
                        if round.isEmpty { round = processes.shuffled(using: &generator) }
                        let name = round.removeLast()
                        world.process(name).kill()
                        kills[name, default: 0] += 1
                        let down = Duration.milliseconds(Int.random(in: 0...300, using: &generator))
                        if let outage = settings.gatewayOutage, world.layout.service(of: name) == "gateway", kills[name]! % 2 == 0 {
                            try await Task.sleep(for: outage)
                        } else {
                            try await Task.sleep(for: down)
                        }
                        try await world.relaunch(name)
                    }
                    return kills
                }
                var kills: [String: Int] = [:]
                for try await result in group { kills.merge(result) { $0 + $1 } }
                return kills
            }
        }
    }
}
