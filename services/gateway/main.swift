import AftercareGateway
import AftercareServiceKit
import AftercareServiceRuntime
import Logging

await ServiceMain.run(name: "gateway", migrations: .gateway) { env in
    let settings = try GatewaySettings(config: env.config)
    guard let tls = env.settings.tls, let caFile = tls.caFile else {
        throw ServiceSettingsError(key: "tls.ca", problem: "the gateway calls the services with mutual TLS: tls.cert, tls.key and tls.ca are required")
    }
    env.logger.info("gateway peers", metadata: ["gateway.peers": "\(settings.peers.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })"])
    let clients = settings.clients(certificateFile: tls.certificateFile, keyFile: tls.keyFile, caFile: caFile, logger: env.logger)
    let gateway = try GatewayAssembly(clients: clients, database: env.database, clock: env.clock, logger: env.logger)
    return ServiceParts(services: [], background: gateway.background)
}
