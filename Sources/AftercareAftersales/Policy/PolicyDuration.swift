/// A duration in a policy file: a whole number and a unit, `90s`, `30m`, `48h` or `7d`.
package struct PolicyDuration: Sendable, Hashable, CustomStringConvertible {
    /// The duration in seconds (never negative).
    package let seconds: Int64

    package init(seconds: Int64) {
        self.seconds = seconds
    }

    /// Parses `<digits><s|m|h|d>`; nil for anything else (negative numbers included).
    package init?(parsing text: String) {
        guard let unit = text.last, let number = Int64(text.dropLast()), number >= 0,
            text.first?.isNumber == true
        else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86400
        default: return nil
        }
        let (seconds, overflow) = number.multipliedReportingOverflow(by: scale)
        if overflow { return nil }
        self.seconds = seconds
    }

    /// Hours up to 72 h (as the specification writes them), days beyond, else minutes or seconds.
    package var description: String {
        if seconds % 3600 == 0 && seconds <= 72 * 3600 && seconds > 0 { return "\(seconds / 3600)h" }
        if seconds % 86400 == 0 && seconds > 0 { return "\(seconds / 86400)d" }
        if seconds % 3600 == 0 && seconds > 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 && seconds > 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
