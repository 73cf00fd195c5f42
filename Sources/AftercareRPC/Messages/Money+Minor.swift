extension Aftercare_Common_V1_Money {
    /// `amountMinor` minor units of `currency`.
    public init(_ amountMinor: Int64, _ currency: String) {
        self.init()
        self.amountMinor = amountMinor
        self.currency = currency
    }

    /// "12.34 CNY", for messages people read (two minor digits).
    public var formatted: String {
        let sign = self.amountMinor < 0 ? "-" : ""
        let magnitude = self.amountMinor.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents) \(self.currency)"
    }
}
