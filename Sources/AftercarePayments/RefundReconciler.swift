import AftercareServiceKit
import ServiceLifecycle

/// The background reconciliation pass: at start-up (settling what a crash left pending) and then
/// every `interval`, settles pending refund intents and charges with their providers, by key.
/// Stops on graceful shutdown.
package struct RefundReconciler: Service {
    package let payments: Payments
    package let interval: Duration

    package init(payments: Payments, interval: Duration) {
        self.payments = payments
        self.interval = interval
    }

    package func run() async throws {
        try await PeriodicPass(name: "reconciliation pass", interval: self.interval, logger: self.payments.logger) {
            _ = try await self.payments.reconcile()
        }.run()
    }
}
