import AftercareAftersales
import AftercareServiceKit
import AftercareServiceRuntime
import Logging

await ServiceMain.run(name: "aftersales", migrations: .aftersales) { env in
    let settings = try AftersalesSettings(config: env.config)
    env.logger.info(
        "aftersales review policy and timers",
        metadata: [
            "policy.version": "\(settings.policy.version)", "policy.fingerprint": "\(settings.policy.fingerprint)",
            "aftersales.timers.interval": "\(settings.timerInterval)", "aftersales.timers.batch": "\(settings.timerBatch)",
        ])
    return ServiceParts(
        services: [
            AftersalesService(database: env.database, clock: env.clock, feed: env.feed, ledger: env.ledger, policy: settings.policy)
        ],
        background: [
            CaseTimerService(
                database: env.database, clock: env.clock, feed: env.feed, policy: settings.policy, interval: settings.timerInterval,
                batch: settings.timerBatch, logger: env.logger)
        ],
        scrapeProbes: [AftersalesService.openCasesProbe(env.database)])
}
