import AftercarePayments
import AftercareServiceKit
import AftercareServiceRuntime
import Logging

await ServiceMain.run(name: "payments", migrations: Payments.migrations, severalInstances: true) { environment in
    let settings = try PaymentsSettings(config: environment.config, databasePath: environment.settings.databasePath)
    let ledger = try ProviderLedger.open(path: settings.ledgerPath)
    let simulator = ProviderSimulator(ledger: ledger, rules: settings.simulator, clock: environment.clock)
    let payments = Payments(
        database: environment.database, feed: environment.feed, steps: environment.ledger.steps, clock: environment.clock,
        providers: .simulated(simulator), reconcileBatch: settings.reconcileBatch, leaseDuration: settings.leaseDuration,
        instance: settings.instance, logger: environment.logger)
    // The only process of its SQLite file: the leases left in it were held by processes that are
    // gone. On PostgreSQL, or a shared file, other instances may be running and holding theirs:
    // those expire, but a process named by payments.instance takes back its predecessor's.
    let released =
        !environment.settings.databaseShared && environment.settings.databaseURL == nil
        ? try await payments.releaseLeasesOfEarlierProcesses()
        : settings.instance != nil ? try await payments.releaseLeasesOfThisInstance() : 0
    if released > 0 { environment.logger.info("released the leases of earlier processes", metadata: ["payments.leases": "\(released)"]) }
    environment.logger.info(
        "payments providers: simulators",
        metadata: [
            "payments.simulator.ledger_path": "\(settings.ledgerPath)", "payments.simulator.rules": "\(settings.simulator)",
            "payments.reconcile.interval": "\(settings.reconcileInterval)", "payments.lease": "\(settings.leaseDuration)",
            "payments.instance": "\(payments.instance)",
        ])
    return ServiceParts(
        services: [PaymentsService(payments: payments)],
        background: [RefundReconciler(payments: payments, interval: settings.reconcileInterval)],
        healthChecks: [ledger.healthCheck])
}
