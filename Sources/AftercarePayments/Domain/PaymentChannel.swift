package import AftercarePaymentsAPI

/// How money moves: a provider's channel, or a payout made by hand (refunds only).
package enum PaymentChannel: String, Sendable, Hashable, CaseIterable {
    case alipay
    case wechatPay = "wechat_pay"
    case card
    /// A payout made outside the system, recorded with its reference.
    case manual

    /// The channels a payment may use.
    package static let paymentChannels: [PaymentChannel] = [.alipay, .wechatPay, .card]

    /// The channel of `proto`, `nil` for `CHANNEL_UNSPECIFIED` or an unknown value.
    package init?(_ proto: Aftercare_Payments_V1_Channel) {
        switch proto {
        case .alipay: self = .alipay
        case .wechatPay: self = .wechatPay
        case .card: self = .card
        case .manual: self = .manual
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    /// As on the wire.
    package var proto: Aftercare_Payments_V1_Channel {
        switch self {
        case .alipay: .alipay
        case .wechatPay: .wechatPay
        case .card: .card
        case .manual: .manual
        }
    }
}
