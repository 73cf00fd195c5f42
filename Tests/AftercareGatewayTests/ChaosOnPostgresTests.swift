import AftercareTesting
import Foundation
import Testing

extension GatewayExecutableTests {
    /// The chaos run on PostgreSQL: every service and the gateway on a database of its own, two
    /// gateways (`gateway`, started as `gateway-a`, and `gateway-b`) on one saga log with a 3 s saga
    /// lease, and two payments instances on one database, each under its own `payments.instance`
    /// (so one started again takes its in-flight leases back); the clients spread their calls over
    /// both gateways. Every process is SIGKILLed in turn, both gateways and both payments
    /// instances included — a gateway every second time for longer than its lease, so the other
    /// takes its sagas over — and ``ChaosJudge`` checks the books as it does the SQLite run's.
    ///
    /// The same variables as ``ChaosRunTests`` change it, except that `AFTERCARE_CHAOS_CASES`
    /// defaults to 121 here and may not go under 110, and `AFTERCARE_CHAOS_CONCURRENCY` to 8: on
    /// PostgreSQL concurrent writers of the feeds' and inboxes' heads fail to serialize and are
    /// retried, so fewer walkers at once finish sooner: 8 walked the 121 cases in 112 s where 12
    /// took 161 s (on a loaded 2-core machine).
    @Suite("Chaos on PostgreSQL: two gateways and two payments instances while processes are SIGKILLed at random")
    struct ChaosOnPostgresTests {
        static let processes = GatewayWorld.serviceNames + ["payments-2", "gateway", "gateway-b"]
        /// The saga lease the gateways run with (the least `gateway.sagas.leaseSeconds` allows).
        static let sagaLeaseSeconds = 3

        @Test("cases of every kind, on PostgreSQL with two gateways and two payments instances, while every process is SIGKILLed at random: the books agree")
        func chaos() async throws {
            var configured = ChaosRunTests.Settings(ProcessInfo.processInfo.environment, cases: 121, minimumCases: 110, concurrency: 8)
            // A renewal round (a third of the lease) and a second past the lease: the survivor has taken over.
            configured.gatewayOutage = .seconds(Self.sagaLeaseSeconds) + .seconds(Self.sagaLeaseSeconds) / 3 + .seconds(1)
            let settings = configured
            let arguments = [
                "payments": ["--payments-simulator-decline-amounts-ending-in", "99"],
                "aftersales": ["--aftersales-timers-interval-ms", "50"],
                "gateway": ["--gateway-sagas-lease-seconds", "\(Self.sagaLeaseSeconds)"],
            ]
            try await GatewayWorld.run(arguments: arguments, instances: ["payments": 2], onPostgres: true, gateways: 2) { world in
                #expect(world.instances["gateway"] == ["gateway", "gateway-b"] && world.instances["payments"] == ["payments", "payments-2"])
                try await ChaosRunTests.run(settings, killing: Self.processes, in: world, named: "chaos run on PostgreSQL")
                let takeovers = world.instances["gateway"]!.map { name in
                    "\(name) \(world.process(name).log.split(separator: "\n").filter { $0.contains("taking over sagas") }.count)"
                }
                print("chaos run on PostgreSQL: saga take-overs logged: \(takeovers.joined(separator: ", "))")
            }
        }
    }
}
