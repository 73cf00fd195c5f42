import CoreMetrics

/// What payments records through swift-metrics: charges and refunds as their providers settled
/// them, by provider (the channel: `alipay`, `wechat_pay`, `card`, `manual`) and outcome —
/// `aftercare_payments_charges_total{provider,outcome}` (captured, failed) and
/// `aftercare_payments_refunds_total{provider,outcome}` (succeeded, failed). Each is counted once,
/// by the settlement that moved it; a lookup that finds it already settled counts nothing.
enum PaymentsMetrics {
    static func chargeSettled(_ payment: PaymentRecord) {
        Counter(label: "aftercare_payments_charges_total", dimensions: [("provider", payment.channel.rawValue), ("outcome", payment.status.rawValue)])
            .increment()
    }

    static func refundSettled(_ refund: RefundRecord) {
        Counter(label: "aftercare_payments_refunds_total", dimensions: [("provider", refund.channel.rawValue), ("outcome", refund.status.rawValue)])
            .increment()
    }
}
