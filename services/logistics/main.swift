import AftercareLogistics
import AftercareServiceKit
import AftercareServiceRuntime
import Configuration

await ServiceMain.run(name: "logistics", migrations: .logistics) { env in
    // `simulator.enabled`: the built-in carrier simulator; on by default in test mode only.
    let simulator = env.config.string(forKey: "simulator.enabled").map { ["true", "yes", "1", "on"].contains($0.lowercased()) }
    return ServiceParts(services: [
        LogisticsService(database: env.database, clock: env.clock, feed: env.feed, ledger: env.ledger),
        CarrierSimulatorService(clock: env.clock, feed: env.feed, ledger: env.ledger, enabled: simulator ?? env.settings.testMode),
    ])
}
