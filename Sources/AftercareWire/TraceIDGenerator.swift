import Synchronization

/// Random trace and span ids without a system call per id: a SplitMix64 sequence, seeded once from
/// the system's generator and shared lock-free by every thread. Ids only need to tell traces and
/// spans apart — they guard nothing — so a statistically good, non-cryptographic generator is
/// enough, and asking the kernel for every id cost several `getrandom` calls per RPC.
public struct TraceIDGenerator: RandomNumberGenerator {
    private static let state = Atomic<UInt64>(UInt64.random(in: .min ... .max))

    public init() {}

    public mutating func next() -> UInt64 {
        var z = Self.state.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random, non-zero span id.
    public static func spanID() -> UInt64 {
        var generator = TraceIDGenerator()
        return UInt64.random(in: 1...UInt64.max, using: &generator)
    }
}
