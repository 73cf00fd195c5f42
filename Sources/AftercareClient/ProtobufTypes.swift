public import AftercareAftersalesAPI
public import AftercareGatewayAPI
public import AftercareOrdersAPI
public import AftercarePaymentsAPI
public import AftercareRPC

// Short names for the protobuf messages the common calls take and answer. Every other message is
// in the API modules (`AftercareGatewayAPI`, `AftercareOrdersAPI`, …) under its generated name.

/// An order (`aftercare.orders.v1.Order`).
public typealias Order = Aftercare_Orders_V1_Order
/// An order with its payments, refunds, shipments, cases and reviews.
public typealias OrderView = Aftercare_Gateway_V1_OrderView
/// A case with its history, decision and sagas.
public typealias CaseView = Aftercare_Gateway_V1_CaseView
/// A case record (`aftercare.aftersales.v1.Case`).
public typealias CaseRecord = Aftercare_Aftersales_V1_Case
/// A case kind: `.refundOnly`, `.returnAndRefund`, `.exchange`.
public typealias CaseKind = Aftercare_Aftersales_V1_CaseKind
/// Why the buyer applies: `.noReason7D`, `.damaged`, `.notAsDescribed`, ….
public typealias CaseReason = Aftercare_Aftersales_V1_CaseReason
/// A payment channel: `.alipay`, `.wechatPay`, `.card`.
public typealias PaymentChannel = Aftercare_Payments_V1_Channel
/// A saga in full, and as lists show it.
public typealias SagaView = Aftercare_Gateway_V1_SagaView
public typealias SagaSummary = Aftercare_Gateway_V1_SagaSummary
/// An amount in minor units with its currency.
public typealias Money = Aftercare_Common_V1_Money
