import AftercareLogistics
import AftercareServiceKit
import AftercareServiceRuntime
import Logging

await ServiceMain.run(name: "logistics", migrations: .logistics) { env in
    let settings = try LogisticsSettings(config: env.config, testMode: env.settings.testMode)
    env.logger.info("logistics carrier simulator", metadata: ["simulator.enabled": "\(settings.simulatorEnabled)"])
    return ServiceParts(services: [
        LogisticsService(database: env.database, clock: env.clock, feed: env.feed, ledger: env.ledger),
        CarrierSimulatorService(clock: env.clock, feed: env.feed, ledger: env.ledger, enabled: settings.simulatorEnabled),
    ])
}
