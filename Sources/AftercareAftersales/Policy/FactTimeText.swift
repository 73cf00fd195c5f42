import Foundation

/// Times in a decision's explanation as a support agent reads them: instants as UTC dates,
/// spans as days, hours and minutes — never raw microseconds.
enum FactTimeText {
    /// `2026-09-21T14:13:20Z` for microseconds since the epoch.
    static func date(_ micros: Int64) -> String {
        let seconds = micros.quotientAndRemainder(dividingBy: 1_000_000).quotient
        return Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }

    /// `3 d 2 h`, `5 h 12 min`, `40 s`: the two largest units of a non-negative span.
    static func duration(_ micros: Int64) -> String {
        let seconds = max(0, micros / 1_000_000)
        let (days, hours, minutes) = (seconds / 86_400, seconds % 86_400 / 3_600, seconds % 3_600 / 60)
        if days > 0 { return hours > 0 ? "\(days) d \(hours) h" : "\(days) d" }
        if hours > 0 { return minutes > 0 ? "\(hours) h \(minutes) min" : "\(hours) h" }
        if minutes > 0 { return "\(minutes) min" }
        return "\(seconds) s"
    }
}
