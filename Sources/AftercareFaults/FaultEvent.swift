/// Something the injector did, for tests to assert on and people to read.
public struct FaultEvent: Sendable, Hashable, CustomStringConvertible {
    public var fault: Fault
    /// The call's full method name, for call faults.
    public var method: String?
    /// Which matching call (or connection) it was, 1-based.
    public var ordinal: Int

    public var description: String { "\(self.fault) → \(self.method ?? "connection") #\(self.ordinal)" }
}
