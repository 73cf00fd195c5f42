public import AftercareRPC

/// The methods of `aftercare.payments.v1.Payments` (proto-spec/payments.proto), for servers and
/// clients alike.
public enum PaymentsMethods {
    /// Charges an order through alipay, wechat_pay or card; needs an idempotency key.
    public static let pay = MethodDescriptor<Aftercare_Payments_V1_PayRequest, Aftercare_Payments_V1_Payment>(
        "aftercare.payments.v1.Payments/Pay")
    /// One payment by id.
    public static let getPayment = MethodDescriptor<Aftercare_Payments_V1_GetPaymentRequest, Aftercare_Payments_V1_Payment>(
        "aftercare.payments.v1.Payments/GetPayment")
    /// Every payment of an order.
    public static let listPayments = MethodDescriptor<Aftercare_Payments_V1_ListPaymentsRequest, Aftercare_Payments_V1_ListPaymentsResponse>(
        "aftercare.payments.v1.Payments/ListPayments")
    /// Refunds part or all of a captured payment, as an intent settled with the provider by its key.
    public static let refund = MethodDescriptor<Aftercare_Payments_V1_RefundRequest, Aftercare_Payments_V1_Refund>(
        "aftercare.payments.v1.Payments/Refund")
    /// One refund by id.
    public static let getRefund = MethodDescriptor<Aftercare_Payments_V1_GetRefundRequest, Aftercare_Payments_V1_Refund>(
        "aftercare.payments.v1.Payments/GetRefund")
    /// Every refund of a payment, with its totals.
    public static let listRefunds = MethodDescriptor<Aftercare_Payments_V1_ListRefundsRequest, Aftercare_Payments_V1_ListRefundsResponse>(
        "aftercare.payments.v1.Payments/ListRefunds")
    /// Records a payout made outside the system as a refund through the manual channel.
    public static let recordManualPayout = MethodDescriptor<Aftercare_Payments_V1_RecordManualPayoutRequest, Aftercare_Payments_V1_Refund>(
        "aftercare.payments.v1.Payments/RecordManualPayout")
    /// Settles pending refund intents and charges with their providers, now.
    public static let reconcileRefunds = MethodDescriptor<
        Aftercare_Payments_V1_ReconcileRefundsRequest, Aftercare_Payments_V1_ReconcileRefundsResponse
    >("aftercare.payments.v1.Payments/ReconcileRefunds")
}
