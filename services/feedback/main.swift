import AftercareFeedback
import AftercareServiceKit
import AftercareServiceRuntime
import Logging

await ServiceMain.run(name: "feedback", migrations: .feedback) { env in
    let settings = try FeedbackSettings(config: env.config)
    env.logger.info(
        "feedback review expiry",
        metadata: ["feedback.expiry.interval": "\(settings.expiryInterval)", "feedback.expiry.batch": "\(settings.expiryBatch)"])
    return ServiceParts(
        services: [FeedbackService(database: env.database, clock: env.clock, feed: env.feed, ledger: env.ledger)],
        background: [
            ReviewExpiryService(
                database: env.database, clock: env.clock, feed: env.feed, interval: settings.expiryInterval, batch: settings.expiryBatch,
                logger: env.logger)
        ])
}
