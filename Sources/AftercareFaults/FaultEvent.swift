/// Something the injector did, for tests to assert on and people to read.
package struct FaultEvent: Sendable, Hashable, CustomStringConvertible {
    package var fault: Fault
    /// The call's full method name, for call faults.
    package var method: String?
    /// Which matching call (or connection) it was, 1-based.
    package var ordinal: Int

    package var description: String { "\(self.fault) → \(self.method ?? "connection") #\(self.ordinal)" }
}
