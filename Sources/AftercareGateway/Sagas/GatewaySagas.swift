import AftercareAftersalesAPI
package import AftercareSagas

/// The gateway's sagas as definitions for its ``AftercareSagas/SagaEngine``: the six a case drives
/// — Return setup, Return cancellation, Carrier progress, Refund, Return to buyer, Exchange
/// fulfilment, each named as aftersales names it in `SagaRequested.saga` — and Order cancellation,
/// which a paid order's cancellation drives. Their participants are the clients named
/// ``Participant/orders``, ``Participant/payments``, ``Participant/logistics`` and
/// ``Participant/aftersales``. ``CaseSagaStarter`` starts them from the services' events.
package enum GatewaySagas {
    /// The engine's participant names the definitions call.
    package enum Participant {
        package static let orders = "orders"
        package static let payments = "payments"
        package static let logistics = "logistics"
        package static let aftersales = "aftersales"
        /// All four.
        package static let all = [orders, payments, logistics, aftersales]
    }

    /// The definitions' names: a case's sagas by the contract's ``AftercareAftersalesAPI/CaseSaga``
    /// (aftersales' `SagaRequested.saga`).
    package enum Name {
        package static let returnSetup = CaseSaga.returnSetup.rawValue
        package static let returnCancellation = CaseSaga.returnCancellation.rawValue
        package static let carrierProgress = CaseSaga.carrierProgress.rawValue
        package static let refund = CaseSaga.refund.rawValue
        package static let returnToBuyer = CaseSaga.returnToBuyer.rawValue
        package static let exchangeFulfilment = CaseSaga.exchangeFulfilment.rawValue
        /// Started by orders' `orders.order.cancelling`, not by a case.
        package static let orderCancellation = "Order cancellation"
    }

    /// How the sagas call.
    package struct Configuration: Sendable, Hashable {
        /// The carrier of return labels and of the shipments the seller sends (replacements, back
        /// to the buyer). Default `sf_express`.
        package var carrier: String
        /// Steps that may give up (before the pivot) and compensations. Default: the engine's defaults.
        package var retry: SagaRetryPolicy
        /// Steps retried until done (shipments past the decision, recordings; docs/sagas.md):
        /// many attempts, slow back-off, stuck for an operator only past them. Default: 30 attempts,
        /// back-off up to 30 s.
        package var untilDone: SagaRetryPolicy
        /// Each definition's forward and compensation budgets. Defaults: 10 and 30 minutes.
        package var forwardBudget: Duration
        package var compensationBudget: Duration
        /// The lease this gateway drives sagas under: its instance name and the lease's length.
        /// Default: `gateway`, 30 s (one gateway alone).
        package var lease: SagaLease

        package init(
            carrier: String = "sf_express",
            retry: SagaRetryPolicy = .defaults,
            untilDone: SagaRetryPolicy = SagaRetryPolicy(maximumBackoff: .seconds(30), maxAttempts: 30),
            forwardBudget: Duration = .seconds(600),
            compensationBudget: Duration = .seconds(1_800),
            lease: SagaLease = SagaLease()
        ) {
            self.carrier = carrier
            self.retry = retry
            self.untilDone = untilDone
            self.forwardBudget = forwardBudget
            self.compensationBudget = compensationBudget
            self.lease = lease
        }

        package static let defaults = Configuration()
    }

    /// The seven definitions, for the engine.
    package static func definitions(_ configuration: Configuration = .defaults) -> [SagaDefinition] {
        [
            self.returnSetup(configuration), self.returnCancellation(configuration), self.carrierProgress(configuration),
            self.refund(configuration), self.returnToBuyer(configuration), self.exchangeFulfilment(configuration),
            self.orderCancellation(configuration),
        ]
    }

    /// A definition the code states; a mistake in it is a programming error, caught by every test.
    static func definition(
        _ name: String, _ configuration: Configuration, steps: [SagaStep], onCompensated: SagaStep? = nil
    ) -> SagaDefinition {
        do {
            return try SagaDefinition(
                name: name, steps: steps, onCompensated: onCompensated, forwardBudget: configuration.forwardBudget,
                compensationBudget: configuration.compensationBudget)
        } catch {
            preconditionFailure("\(error)")
        }
    }

    /// The id of the saga an event starts: the definition's name, slugged, and the event's id.
    package static func sagaID(_ name: String, eventID: String) -> String {
        "\(name.lowercased().split(separator: " ").joined(separator: "-"))-\(eventID)"
    }
}
