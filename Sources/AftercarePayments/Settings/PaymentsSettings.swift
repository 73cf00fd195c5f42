import Foundation

/// Payments' own settings, beside the runtime's (`payments.*` keys; environment
/// `AFTERCARE_PAYMENTS_…`, flags `--payments-…`).
package struct PaymentsSettings: Sendable, Hashable {
    /// `payments.simulator.*`: how the built-in providers behave.
    package var simulator = SimulatorRules()
    /// `payments.simulator.ledgerPath`: the simulated providers' own SQLite file. Default:
    /// `payments-provider.sqlite` beside the database.
    package var ledgerPath: String
    /// `payments.reconcile.intervalMs`: how often the background pass runs. Default 30,000.
    package var reconcileInterval: Duration = .seconds(30)
    /// `payments.reconcile.batch`: how many pending refunds (and charges) one pass examines. Default 100.
    package var reconcileBatch = 100
    /// `payments.leaseMs`: how long a process holds a charge or refund while it asks the provider;
    /// a lease of a process that died expires after it and another instance takes the record over.
    /// Longer than a provider call takes. Default 30,000.
    package var leaseDuration: Duration = .seconds(30)
    /// `payments.instance`: this process's name among the instances on one database, the prefix
    /// of its leases' holders; a process restarted under it takes its predecessor's leases back
    /// at once instead of waiting for them to expire. Every instance running at once needs its
    /// own. Unset: the pid and a random number, new at every start.
    package var instance: String?

    /// The defaults, with the provider ledger beside `databasePath`.
    package init(databasePath: String) {
        self.ledgerPath = URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("payments-provider.sqlite").path
    }
}
