/// Who is on the other end of a connection, as the transport authenticated it (WIRE.md §12).
public struct PeerIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The first DNS subject alternative name of a verified client certificate; `nil` when it has
    /// none (its common name is not used: WIRE.md §12).
    public var certificateName: String?
    /// The peer's uid and gid, from `SO_PEERCRED` on a Unix socket.
    public var uid: UInt32?
    public var gid: UInt32?

    public init(certificateName: String? = nil, uid: UInt32? = nil, gid: UInt32? = nil) {
        self.certificateName = certificateName
        self.uid = uid
        self.gid = gid
    }

    /// An identity nothing was learned about.
    public static let anonymous = PeerIdentity()

    /// `name:<certificate name>`, `uid:<n>`, `gid:<n>` — what allow-lists hold.
    public var principals: Set<String> {
        var principals = Set<String>()
        if let certificateName { principals.insert("name:\(certificateName)") }
        if let uid { principals.insert("uid:\(uid)") }
        if let gid { principals.insert("gid:\(gid)") }
        return principals
    }

    /// The principals sorted and comma-separated, or `anonymous`.
    public var description: String {
        let principals = self.principals.sorted()
        return principals.isEmpty ? "anonymous" : principals.joined(separator: ",")
    }
}

extension PeerIdentity {
    /// Why `principal` can never match a peer — `nil` if it is a well-formed `name:<certificate
    /// name>`, `uid:<n>` or `gid:<n>`. An allow-list entry that matches nobody is a configuration
    /// mistake worth stopping for, not a silent refusal.
    public static func problem(principal: String) -> String? {
        if let name = principal.wholeSuffix(after: "name:") {
            let valid = !name.isEmpty && name.allSatisfy { $0 == "." || $0 == "-" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
            return valid ? nil : "\"\(principal)\": name: needs a DNS name (letters, digits, '-', '.')"
        }
        for prefix in ["uid:", "gid:"] {
            if let number = principal.wholeSuffix(after: prefix) {
                return UInt32(number) != nil ? nil : "\"\(principal)\": \(prefix) needs a number"
            }
        }
        return "expected name:<certificate name>, uid:<n> or gid:<n>, got \"\(principal)\""
    }
}

extension String {
    fileprivate func wholeSuffix(after prefix: String) -> Substring? {
        self.hasPrefix(prefix) ? self.dropFirst(prefix.count) : nil
    }
}
