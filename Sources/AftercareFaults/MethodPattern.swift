/// Which methods a fault applies to, written the way people name them: `payments/Refund`
/// matches `aftercare.payments.v1.Payments/Refund`; `*` matches any service or method.
package struct MethodPattern: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// Matched case-insensitively against the service part of the full name (package included).
    package var service: String
    /// Matched exactly against the method part.
    package var method: String

    /// Parses `service/Method`, `*/Method`, `service/*` or `*`.
    package init(_ pattern: String) {
        let parts = pattern.split(separator: "/", maxSplits: 1).map(String.init)
        self.service = parts.first ?? "*"
        self.method = parts.count > 1 ? parts[1] : "*"
    }

    package init(stringLiteral pattern: String) {
        self.init(pattern)
    }

    /// Whether the full method name `<package>.<Service>/<Method>` matches.
    package func matches(_ fullName: String) -> Bool {
        let parts = fullName.split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return false }
        let serviceMatches = self.service == "*" || parts[0].lowercased().contains(self.service.lowercased())
        let methodMatches = self.method == "*" || parts[1] == self.method
        return serviceMatches && methodMatches
    }

    package var description: String { "\(self.service)/\(self.method)" }
}
