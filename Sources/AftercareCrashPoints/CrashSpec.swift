import Glibc

/// Which crash point fires, where, and at which hit: `<point>[@<pattern>][#<hit>]`, e.g.
/// `saga.call-sent@refund-*/refund/forward` or `router.event-handled@aftersales/*#3`.
///
/// The pattern is a shell glob (`*`, `?`, `[…]`; `*` crosses `/`) over the point's context; none
/// matches every context. The hit counts matching contexts from 1 (default 1).
package struct CrashSpec: Hashable, Sendable, CustomStringConvertible {
    package var point: CrashPoint
    package var pattern: String
    package var hit: Int

    package init(_ point: CrashPoint, pattern: String = "*", hit: Int = 1) {
        self.point = point
        self.pattern = pattern
        self.hit = hit
    }

    /// Parses `<point>[@<pattern>][#<hit>]`.
    package init(parsing text: String) throws(CrashSpecError) {
        var rest = Substring(text)
        var hit = 1
        if let hash = rest.lastIndex(of: "#") {
            guard let number = Int(rest[rest.index(after: hash)...]), number >= 1 else {
                throw CrashSpecError("\(text): the hit after # must be a whole number from 1")
            }
            hit = number
            rest = rest[..<hash]
        }
        var pattern = "*"
        if let at = rest.firstIndex(of: "@") {
            pattern = String(rest[rest.index(after: at)...])
            guard !pattern.isEmpty else { throw CrashSpecError("\(text): the pattern after @ is empty") }
            rest = rest[..<at]
        }
        guard let point = CrashPoint.named(String(rest)) else {
            throw CrashSpecError("\(text): no crash point is named \(rest); known: \(CrashPoint.all.map(\.name).joined(separator: ", "))")
        }
        self.init(point, pattern: pattern, hit: hit)
    }

    /// Whether `context` at `point` is one this spec counts.
    package func matches(_ point: CrashPoint, _ context: String) -> Bool {
        point == self.point && fnmatch(self.pattern, context, 0) == 0
    }

    package var description: String {
        "\(self.point.name)@\(self.pattern)" + (self.hit == 1 ? "" : "#\(self.hit)")
    }
}

/// A crash spec that cannot be read; says what is wrong.
package struct CrashSpecError: Error, CustomStringConvertible {
    package let description: String

    init(_ description: String) {
        self.description = description
    }
}
