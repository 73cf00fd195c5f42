import AftercareGateway
import AftercareRPC
import AftercareServiceKit
import AftercareServiceRuntime
import Logging

await ServiceMain.run(name: "gateway", migrations: .gateway) { env in
    let settings = try GatewaySettings(config: env.config)
    guard let tls = env.settings.tls, let caFile = tls.caFile else {
        throw ServiceSettingsError(key: "tls.ca", problem: "the gateway calls the services with mutual TLS: tls.cert, tls.key and tls.ca are required")
    }
    env.logger.info("gateway peers", metadata: ["gateway.peers": "\(settings.peers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.map { "\($0)" }.joined(separator: ","))" })"])
    let clients = settings.clients(certificateFile: tls.certificateFile, keyFile: tls.keyFile, caFile: caFile, faults: env.faults, logger: env.logger)
    let health = HealthReport(service: env.settings.executableName, build: ServiceMain.build, started: .now, checks: [env.database.healthCheck])
    let gateway = try GatewayAssembly(
        clients: clients, settings: settings, database: env.database, clock: env.clock, ownSpans: env.spans,
        ownHealth: { await health.response() }, logger: env.logger)
    let services = gateway.services
    return ServiceParts(
        services: services, background: gateway.background, allowLists: gateway.allowLists(for: services), scrapeProbes: gateway.scrapeProbes)
}
