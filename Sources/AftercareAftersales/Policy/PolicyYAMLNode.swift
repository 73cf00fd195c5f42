internal import Yams

/// A YAML node with its key path, reading typed values and refusing what does not fit with a
/// ``PolicyError`` naming the line and the key.
struct PolicyYAMLNode {
    let node: Node
    let path: String
    /// The line of the key that introduced this value, if any.
    var keyLine: Int? = nil

    var line: Int? { node.mark?.line }

    func fail(_ problem: String) -> PolicyError {
        PolicyError(line: line, key: path, problem: problem)
    }

    /// A key this mapping lacks, named at the line of the mapping's own key.
    func missing(_ key: String) -> PolicyError {
        PolicyError(line: keyLine ?? line, key: path, problem: "missing key \(key)")
    }

    func child(_ key: String, _ node: Node, keyLine: Int? = nil) -> PolicyYAMLNode {
        PolicyYAMLNode(node: node, path: path.isEmpty ? key : "\(path).\(key)", keyLine: keyLine)
    }

    /// The mapping's entries, refusing keys outside `allowed` and repeated keys.
    func mapping(allowed: [String]) throws(PolicyError) -> [String: PolicyYAMLNode] {
        guard let mapping = node.mapping else { throw fail("expected a mapping") }
        var entries: [String: PolicyYAMLNode] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw fail("keys must be plain text") }
            let entry = PolicyYAMLNode(node: key, path: path.isEmpty ? name : "\(path).\(name)")
            guard allowed.contains(name) else {
                throw entry.fail("unknown key \(name) (expected one of: \(allowed.joined(separator: ", ")))")
            }
            guard entries[name] == nil else { throw entry.fail("duplicate key \(name)") }
            entries[name] = child(name, value, keyLine: key.mark?.line)
        }
        return entries
    }

    /// The sequence's items, each named `path[i]`.
    func sequence() throws(PolicyError) -> [PolicyYAMLNode] {
        guard let sequence = node.sequence else { throw fail("expected a list") }
        return sequence.enumerated().map { PolicyYAMLNode(node: $0.element, path: "\(path)[\($0.offset)]") }
    }

    func string() throws(PolicyError) -> String {
        guard let scalar = node.scalar, !scalar.string.isEmpty else { throw fail("expected text") }
        return scalar.string
    }

    func int() throws(PolicyError) -> Int64 {
        guard let scalar = node.scalar, let value = Int64(scalar.string) else { throw fail("expected a whole number") }
        return value
    }

    func nonNegativeInt() throws(PolicyError) -> Int64 {
        let value = try int()
        guard value >= 0 else { throw fail("must not be negative, got \(value)") }
        return value
    }

    func bool() throws(PolicyError) -> Bool {
        switch node.scalar?.string {
        case "true": return true
        case "false": return false
        default: throw fail("expected true or false")
        }
    }

    func duration() throws(PolicyError) -> Int64 {
        let text = try string()
        guard let duration = PolicyDuration(parsing: text) else {
            throw fail("expected a duration like 48h, 7d, 30m or 90s (not negative), got \(text)")
        }
        return duration.seconds
    }

    func strings() throws(PolicyError) -> [String] {
        var values: [String] = []
        for item in try sequence() { values.append(try item.string()) }
        return values
    }

    /// A value of a closed set, by its raw value.
    func oneOf<Value: RawRepresentable & CaseIterable>(_ type: Value.Type, named what: String) throws(PolicyError) -> Value
    where Value.RawValue == String {
        let text = try string()
        guard let value = Value(rawValue: text) else {
            throw fail("unknown \(what) \(text) (expected one of: \(Value.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return value
    }
}

extension Dictionary where Key == String, Value == PolicyYAMLNode {
    /// A key the format requires.
    func required(_ key: String, in parent: PolicyYAMLNode) throws(PolicyError) -> PolicyYAMLNode {
        guard let value = self[key] else { throw parent.missing(key) }
        return value
    }
}
