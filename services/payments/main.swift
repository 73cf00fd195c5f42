import AftercarePayments
import AftercareServiceKit
import AftercareServiceRuntime
import Logging

await ServiceMain.run(name: "payments", migrations: Payments.migrations) { environment in
    let settings = try PaymentsSettings(config: environment.config, databasePath: environment.settings.databasePath)
    let ledger = try ProviderLedger.open(path: settings.ledgerPath)
    let simulator = ProviderSimulator(ledger: ledger, rules: settings.simulator, clock: environment.clock)
    let payments = Payments(
        database: environment.database, feed: environment.feed, steps: environment.ledger.steps, clock: environment.clock,
        providers: .simulated(simulator), reconcileBatch: settings.reconcileBatch, logger: environment.logger)
    environment.logger.info(
        "payments providers: simulators",
        metadata: [
            "payments.simulator.ledger_path": "\(settings.ledgerPath)", "payments.simulator.rules": "\(settings.simulator)",
            "payments.reconcile.interval": "\(settings.reconcileInterval)",
        ])
    return ServiceParts(
        services: [PaymentsService(payments: payments)],
        background: [RefundReconciler(payments: payments, interval: settings.reconcileInterval)],
        healthChecks: [ledger.healthCheck])
}
