import AftercareRPC
import AftercareServiceKit
import AftercareTesting
import Testing

@Suite("runtime smoke")
struct RuntimeSmokeTests {
    @Test func startsAndAnswersHealth() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let orders = try await ServiceProcess.start("orders", in: directory)
        let health = try await orders.withClient { client in try await client.unary(BuiltinMethods.health, .init()) }
        #expect(health.checks.first?.name == "database")
        let clock = try await orders.withClient { client in try await client.unary(OperatorService.getClock, .init()) }
        let status = try await orders.stop()
        #expect(status == 0)
    }
}
