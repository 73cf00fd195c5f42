public import AftercareWire

/// Application metadata of a call: ordered key–value entries (WIRE.md §5.2, tag 0x1000).
///
/// The reserved keys (`traceparent`, `idempotency-key`, `actor`, `saga-*`) are not metadata: they
/// have their own fields in ``CallOptions`` and ``ServerContext``.
public struct Metadata: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var entries: [MetadataEntry]

    public init(entries: [MetadataEntry] = []) {
        self.entries = entries
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.entries = elements.map { MetadataEntry(key: $0.0, value: $0.1) }
    }

    /// Adds a text entry; keys may repeat.
    public mutating func add(_ key: String, _ value: String) {
        self.entries.append(MetadataEntry(key: key, value: value))
    }

    /// Adds a binary entry; the key must end in `-bin`.
    public mutating func add(_ key: String, bytes: [UInt8]) {
        self.entries.append(MetadataEntry(key: key, value: bytes))
    }

    /// The first text value for `key`.
    public subscript(key: String) -> String? {
        self.entries.first { $0.key == key }.flatMap { String(validating: $0.value, as: UTF8.self) }
    }

    public var isEmpty: Bool { self.entries.isEmpty }

    public func makeIterator() -> IndexingIterator<[MetadataEntry]> {
        self.entries.makeIterator()
    }
}
