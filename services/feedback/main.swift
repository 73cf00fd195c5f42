import AftercareFeedback
import AftercareServiceKit
import AftercareServiceRuntime
import Logging

await ServiceMain.run(name: "feedback", migrations: .feedback) { env in
    let settings = try FeedbackSettings(config: env.config)
    guard let tls = env.settings.tls, let caFile = tls.caFile else {
        throw ServiceSettingsError(
            key: "tls.ca", problem: "feedback follows aftersales' feed with mutual TLS: tls.cert, tls.key and tls.ca are required")
    }
    env.logger.info(
        "feedback review expiry and aftersales' feed",
        metadata: [
            "feedback.expiry.interval": "\(settings.expiryInterval)", "feedback.expiry.batch": "\(settings.expiryBatch)",
            "feedback.peers.aftersales": "\(settings.aftersales)",
        ])
    let aftersales = settings.aftersalesClient(
        certificateFile: tls.certificateFile, keyFile: tls.keyFile, caFile: caFile, faults: env.faults, logger: env.logger)
    return ServiceParts(
        services: [FeedbackService(database: env.database, clock: env.clock, feed: env.feed, ledger: env.ledger)],
        background: [
            aftersales,
            AftersalesFeed.follower(client: aftersales, database: env.database, clock: env.clock, feed: env.feed, logger: env.logger),
            ReviewExpiryService(
                database: env.database, clock: env.clock, feed: env.feed, interval: settings.expiryInterval, batch: settings.expiryBatch,
                logger: env.logger),
        ])
}
