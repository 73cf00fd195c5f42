import Foundation

/// How the CLI writes times, durations and ages, and reads ages.
enum Formatting {
    /// `2026-12-02 01:23:45.678` (UTC) for microseconds since the epoch; `-` for 0.
    static func time(_ micros: Int64) -> String {
        guard micros > 0 else { return "-" }
        let seconds = micros / 1_000_000
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let millis = (micros / 1_000) % 1_000
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))) + "." + String(format: "%03lld", millis)
    }

    /// `850 µs`, `12 ms`, `1.25 s`, `3 m 20 s`, `2 h 5 m` for a span in microseconds.
    static func duration(_ micros: Int64) -> String {
        switch micros {
        case ..<0: "-"
        case ..<1_000: "\(micros) µs"
        case ..<10_000: String(format: "%.1f ms", Double(micros) / 1_000)
        case ..<1_000_000: "\(micros / 1_000) ms"
        case ..<60_000_000: String(format: "%.2f s", Double(micros) / 1_000_000)
        case ..<3_600_000_000: "\(micros / 60_000_000) m \(micros / 1_000_000 % 60) s"
        default: "\(micros / 3_600_000_000) h \(micros / 60_000_000 % 60) m"
        }
    }

    /// How long ago `micros` was, from `now`: `5 s`, `3 m`, `2 h`, `4 d`.
    static func age(_ micros: Int64, now: Int64) -> String {
        let seconds = max(0, (now - micros) / 1_000_000)
        switch seconds {
        case ..<60: return "\(seconds) s"
        case ..<3_600: return "\(seconds / 60) m"
        case ..<86_400: return "\(seconds / 3_600) h"
        default: return "\(seconds / 86_400) d"
        }
    }

    /// Parses an age like `90s`, `15m`, `2h` or `7d` into microseconds; `nil` otherwise.
    static func parseAge(_ text: String) -> Int64? {
        guard let unit = text.last, let number = Int64(text.dropLast()), number >= 0 else { return nil }
        let scale: Int64? =
            switch unit {
            case "s": 1_000_000
            case "m": 60_000_000
            case "h": 3_600_000_000
            case "d": 86_400_000_000
            default: nil
            }
        return scale.map { number * $0 }
    }

    /// Microseconds since the epoch, now.
    static var nowMicros: Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }
}
