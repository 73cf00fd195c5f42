import AftercareGatewayAPI
import AftercareNIO
import AftercareRPC
import AftercareTesting
import Foundation
import Testing

extension GatewayExecutableTests {
    /// The standing bad-input suite (README.md beside this file): every malformed frame and every
    /// bad request of the catalogues, against the six real executables over Unix sockets with mutual
    /// TLS; each must get the answer the contract (proto-spec/) names, the processes must live, and
    /// no table of any of the six databases (spans aside) may change.
    @Suite("Bad input")
    struct BadInputTests {
        /// How many frame cases run at once (HELLO timeouts take 10 s each).
        static let frameWidth = 8

        @Test("malformed frames, against orders and the gateway: the connection error or refusal WIRE.md names, every other caller still served, nothing changed")
        func frames() async throws {
            try await GatewayWorld.run { world in
                let started = ContinuousClock.now
                let before = try await StateSnapshot.settled(world)
                let targets: [(name: String, transport: NIOClientTransport, health: RPCClient)] = [
                    ("orders", try await world.process("orders").clientTransport(as: "gateway"), world.direct["orders"]!),
                    ("gateway", try await world.process("gateway").clientTransport(as: "cli"), world.clients["cli"]!),
                ]
                let runs = targets.flatMap { target in FrameCase.catalogue.enumerated().map { (target, $0.offset, $0.element) } }
                var tally = BadInputTally(layer: "frame layer")
                try await withThrowingTaskGroup(of: (String, String?).self) { group in
                    var next = runs.makeIterator()
                    func start() {
                        guard let (target, index, testCase) = next.next() else { return }
                        group.addTask {
                            let label = "\(target.name) #\(index) \"\(testCase.name)\", expected \(testCase.expect)"
                            if let wrong = await FrameRunner.run(testCase, over: target.transport) { return (label, wrong) }
                            // Everyone else is still served: a call on the world's own connection.
                            do {
                                _ = try await target.health.unary(BuiltinMethods.health, .init(), options: .init(timeout: .seconds(10)))
                                return (label, nil)
                            } catch {
                                return (label, "as expected, but then Health on another connection failed: \(error)")
                            }
                        }
                    }
                    for _ in 0..<Self.frameWidth { start() }
                    while let (label, wrong) = try await group.next() {
                        tally.run += 1
                        if let wrong { tally.wrong.append("\(label): got \(wrong)") }
                        try await tally.checkProcesses(world, after: label)
                        start()
                    }
                }
                let after = try await StateSnapshot.take(world)
                let changes = before.changes(to: after, limit: 20)
                if !changes.isEmpty { tally.stateChanges.append("during the frame cases:\n    " + changes.joined(separator: "\n    ")) }
                print("\(tally.report)\n(frame layer: \(ContinuousClock.now - started))")
                #expect(!tally.failed, "\(tally.report)")
            }
        }

        @Test("bad requests through every gateway method and role: the status, the field named, NOT_EXECUTED where refused before running, nothing changed")
        func requests() async throws {
            try await GatewayWorld.run { world in
                let fixtures = try await BadInputFixtures.make(world)
                let started = ContinuousClock.now
                let catalogue = RequestCase.orders + RequestCase.cases + RequestCase.actions + RequestCase.feedback + RequestCase.operations
                var tally = BadInputTally(layer: "request layer")
                var before = try await StateSnapshot.settled(world)
                for testCase in catalogue {
                    let label = RequestRunner.describe(testCase)
                    tally.run += 1
                    let (answer, wrong) = try await RequestRunner.run(testCase, world: world, fixtures: fixtures)
                    tally.answers[answer, default: 0] += 1
                    if let wrong { tally.wrong.append("\(label): got \(wrong)") }
                    try await tally.checkProcesses(world, after: label)
                    var after = try await StateSnapshot.take(world)
                    if after != before {
                        // What the change set off (events the routers follow) belongs to this case too.
                        after = try await StateSnapshot.settled(world)
                        tally.stateChanges.append("\(label):\n    " + before.changes(to: after).joined(separator: "\n    "))
                    }
                    before = after
                }
                print("\(tally.report)\n(request layer: \(ContinuousClock.now - started) for \(catalogue.count) cases, after the fixtures)")
                #expect(!tally.failed, "\(tally.report)")
            }
        }
    }
}
