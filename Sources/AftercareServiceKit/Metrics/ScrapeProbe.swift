import CoreMetrics
import Synchronization

/// A gauge (or a family of them) read from the service's own state when Prometheus scrapes
/// `metrics.listen`, not kept up to date on every write: how many events the feed holds, how many
/// sagas or open cases are in each state. The metrics endpoint runs every probe before it answers;
/// a probe that fails leaves its gauges as they were, and the scrape is answered all the same.
package struct ScrapeProbe: Sendable {
    /// What the probe reads, for the log when it fails.
    package let name: String
    /// Reads and records the gauges.
    package let refresh: @Sendable () async throws -> Void

    package init(name: String, refresh: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.refresh = refresh
    }

    /// `aftercare_feed_events{service}`: the events in `feed`. A feed is append-only and numbered
    /// 1, 2, 3, …, so this is its newest number.
    package static func feedSize(_ feed: EventFeed, service: String) -> ScrapeProbe {
        let gauge = Gauge(label: "aftercare_feed_events", dimensions: [("service", service)])
        return ScrapeProbe(name: "feed size") {
            gauge.record(try await feed.head())
        }
    }
}

/// One gauge per combination of label values, set from a count read at a scrape: a combination
/// counted at an earlier scrape and missing from this one is set to 0, so that a state emptied
/// does not keep its last count.
package final class CountedGauges: Sendable {
    private let label: String
    private let dimensionNames: [String]
    private let seen = Mutex<Set<[String]>>([])

    /// - Parameters:
    ///   - label: the metric's name.
    ///   - dimensions: the names of its labels, in the order ``record(_:)`` gives their values.
    package init(label: String, dimensions: [String]) {
        self.label = label
        self.dimensionNames = dimensions
    }

    /// Sets each combination of label values to its count, and every one seen before and not in
    /// `counts` to 0.
    package func record(_ counts: [[String]: Int]) {
        let zeroed = self.seen.withLock { seen in
            defer { seen.formUnion(counts.keys) }
            return seen.subtracting(counts.keys)
        }
        for values in zeroed { self.gauge(values).record(0) }
        for (values, count) in counts { self.gauge(values).record(count) }
    }

    /// The counts of a `GROUP BY` query's rows, for ``record(_:)``: each row's label values in the
    /// columns before its last, in the order of the dimensions, then the count.
    /// - Throws: ``SQLDecodingError`` when a label column is not text or the count not an integer.
    package func counts(_ rows: [SQLRow]) throws -> [[String]: Int] {
        let labels = self.dimensionNames.indices
        return Dictionary(uniqueKeysWithValues: try rows.map { row in
            (try labels.map { try row.decode(at: $0, as: String.self) }, try row.decode(at: labels.count, as: Int.self))
        })
    }

    private func gauge(_ values: [String]) -> Gauge {
        Gauge(label: self.label, dimensions: Array(zip(self.dimensionNames, values)))
    }
}
