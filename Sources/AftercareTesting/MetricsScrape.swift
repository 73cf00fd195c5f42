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
        let files = try TemporaryDirectory()
        defer { files.remove() }
        let output = files.appending("stdout")
        let errors = files.appending("stderr")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "\(RepositoryPaths.root)/scripts/metrics-samples.py"] + urls
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        // Awaited through the termination handler: no thread of the concurrency pool blocks on it.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard process.terminationStatus == 0 else {
            throw TestKitError("metrics-samples.py exited \(process.terminationStatus): \((try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")")
        }
        let scrapes = try JSONDecoder().decode([String: [Sample]].self, from: FileManager.default.contents(atPath: output) ?? Data())
        return try urls.map { url in
            guard let samples = scrapes[url] else { throw TestKitError("no scrape of \(url)") }
            return MetricsScrape(samples: samples)
        }
    }
}
