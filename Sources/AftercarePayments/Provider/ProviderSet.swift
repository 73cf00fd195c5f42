/// The provider of each channel.
public struct ProviderSet: Sendable {
    private let providers: [PaymentChannel: any PaymentProvider]

    /// - Parameter providers: one per channel; a later one for the same channel wins.
    package init(_ providers: [any PaymentProvider]) {
        self.providers = Dictionary(providers.map { ($0.channel, $0) }) { _, later in later }
    }

    /// The simulators of `simulator` for alipay, wechat_pay and card, and the manual channel.
    public static func simulated(_ simulator: ProviderSimulator) -> ProviderSet {
        ProviderSet(PaymentChannel.paymentChannels.map { simulator.provider($0) as any PaymentProvider } + [ManualPayoutProvider()])
    }

    /// The provider of `channel`.
    package func provider(_ channel: PaymentChannel) throws -> any PaymentProvider {
        guard let provider = self.providers[channel] else { throw ProviderError("no provider for channel \(channel.rawValue)") }
        return provider
    }
}
