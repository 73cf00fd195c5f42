import Foundation

/// Every sample of one scrape of a service's `/metrics`, as Python's `prometheus_client` text-format
/// parser read it (`scripts/metrics-samples.py`): what a Prometheus server would store.
package struct MetricsScrape: Sendable {
    /// One sample: a counter's `…_total`, a histogram's `…_bucket`, `…_count` or `…_sum`, a gauge.
    package struct Sample: Sendable, Decodable {
        package var name: String
        package var labels: [String: String]
        package var value: Double
    }

    package var samples: [Sample]

    /// The sum of the samples named `name` whose labels include `labels` (0 when none matches).
    package func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        self.samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
            .reduce(0) { $0 + $1.value }
    }

    /// Scrapes each URL once, through `python3 scripts/metrics-samples.py`; the scrapes in the order
    /// of `urls`.
    /// - Throws: when a scrape fails or the parser refuses what a service served.
    package static func scrape(_ urls: [String]) async throws -> [MetricsScrape] {
        let finished = try await FinishedProcess.run("/usr/bin/env", ["python3", "\(RepositoryPaths.root)/scripts/metrics-samples.py"] + urls)
        guard finished.status == 0 else {
            throw TestKitError("metrics-samples.py exited \(finished.status): \(finished.errors)")
        }
        let scrapes = try JSONDecoder().decode([String: [Sample]].self, from: finished.output)
        return try urls.map { url in
            guard let samples = scrapes[url] else { throw TestKitError("no scrape of \(url)") }
            return MetricsScrape(samples: samples)
        }
    }
}
