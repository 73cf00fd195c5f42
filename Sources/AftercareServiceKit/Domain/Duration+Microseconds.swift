extension Duration {
    /// The duration in whole microseconds (the unit every stored time is in), rounded down.
    package var wholeMicroseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
