import Foundation

/// The dates `aftercare totals` reads, as microseconds since the epoch (UTC).
enum TotalsDate {
    /// `YYYY-MM-DD` (its midnight, or the next day's when `endOfDay`, so that a period ending on a
    /// date includes it) or `YYYY-MM-DDTHH:MM:SSZ`; `nil` for anything else.
    static func micros(_ text: String, endOfDay: Bool) -> Int64? {
        if text.utf8.count == 10, let day = try? Date.ISO8601FormatStyle().year().month().day().parse(text) {
            let seconds = Int64(day.timeIntervalSince1970) + (endOfDay ? 86_400 : 0)
            return seconds * 1_000_000
        }
        guard let instant = try? Date.ISO8601FormatStyle().parse(text) else { return nil }
        return Int64(instant.timeIntervalSince1970) * 1_000_000
    }
}
