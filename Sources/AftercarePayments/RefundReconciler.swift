import AftercareServiceKit
public import ServiceLifecycle

/// The background reconciliation pass: at start-up (settling what a crash left pending) and then
/// every `interval`, settles pending refund intents and charges with their providers, by key.
/// Stops on graceful shutdown.
public struct RefundReconciler: Service {
    public let payments: Payments
    public let interval: Duration

    public init(payments: Payments, interval: Duration) {
        self.payments = payments
        self.interval = interval
    }

    public func run() async throws {
        try await PeriodicPass(name: "reconciliation pass", interval: self.interval, logger: self.payments.logger) {
            _ = try await self.payments.reconcile()
        }.run()
    }
}
