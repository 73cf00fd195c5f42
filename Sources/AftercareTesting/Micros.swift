/// Spans of time in microseconds, the unit of every service clock and timestamp.
package enum Micros {
    package static let second: Int64 = 1_000_000
    package static let hour: Int64 = 3_600 * second
    package static let day: Int64 = 24 * hour
}
