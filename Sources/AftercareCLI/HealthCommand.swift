import AftercareClient
import AftercareGatewayAPI
import AftercareRPC
import ArgumentParser

struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Every service (each instance of one that runs as several): up, version, uptime, database; exits 1 when one is not up.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let health = try await self.connection.withClient { try await $0.systemHealth(.init()) }
        if self.output.json {
            try self.output.printJSON(["services": health.services])
        } else {
            let style = Style.current
            var table = Table(.elide("SERVICE"), "STATE", .elide("VERSION"), "UPTIME", .wrap("CHECKS"))
            for service in health.services {
                let checks = service.health.checks.map { "\($0.name) \($0.ok ? "ok" : "failing: \($0.detail)")" }.joined(separator: ", ")
                table.add(cells: [
                    .init(service.instance.isEmpty ? service.service : "\(service.service) \(service.instance)"),
                    .init(service.up ? "up" : "down", paint: style.outcome), .init(service.health.build),
                    .init(service.hasHealth ? Formatting.duration(Int64(service.health.uptimeMs) * 1_000) : "-"),
                    service.up ? .init(checks) : .init(service.error.isEmpty ? checks : service.error, paint: style.red),
                ])
            }
            table.lines(style: style, width: self.output.width).forEach { say($0) }
        }
        if health.services.contains(where: { !$0.up }) { throw ExitCode(1) }
    }
}
