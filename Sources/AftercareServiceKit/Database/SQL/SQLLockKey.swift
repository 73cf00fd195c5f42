/// The name of a lock a write transaction holds to its end (``SQLConnection/serialize(on:)``):
/// what it guards, such as `feed_events` or one inbox's head row, as a 64-bit key (PostgreSQL's
/// advisory locks are numbered).
public struct SQLLockKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The name the key was made from, for logs.
    public let name: String
    /// The 64-bit FNV-1a hash of `name`'s UTF-8 bytes: the same in every process and every run.
    public let value: Int64

    /// - Parameter name: what the lock guards; two locks of one name are the same lock.
    public init(_ name: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        self.name = name
        self.value = Int64(bitPattern: hash)
    }

    public static func < (lhs: SQLLockKey, rhs: SQLLockKey) -> Bool { lhs.value < rhs.value }

    public var description: String { self.name }
}
