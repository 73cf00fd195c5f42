import AftercareTesting
import Foundation
import Testing

/// `log.format`, `metrics.listen` and the `tracing` settings fail closed like every other setting: a value the service
/// cannot use stops it with status 78 naming the key, before it listens.
@Suite("Observability settings")
struct ObservabilitySettingsTests {
    @Test(
        "a malformed log.format, metrics.listen or tracing setting stops the service with 78 naming the key",
        arguments: [
            (["--log-format", "yaml"], nil, "log.format"),
            (nil, "log:\n  format: JSON\n", "log.format"),
            (["--metrics-listen", "9464"], nil, "metrics.listen"),
            (["--metrics-listen", ":9464"], nil, "metrics.listen"),
            (["--metrics-listen", "127.0.0.1:99999"], nil, "metrics.listen"),
            (nil, "metrics:\n  listen: localhost\n", "metrics.listen"),
            (nil, "metrics:\n  listne: 127.0.0.1:9464\n", "metrics.listne"),
            (["--tracing-otlp-endpoint", "127.0.0.1:4318"], nil, "tracing.otlp.endpoint"),
            (["--tracing-otlp-endpoint", "grpc://127.0.0.1:4317"], nil, "tracing.otlp.endpoint"),
            (["--tracing-otlp-endpoint", "http://"], nil, "tracing.otlp.endpoint"),
            (nil, "tracing:\n  otlp:\n    endpoint: http://collector:4318/?gzip=1\n", "tracing.otlp.endpoint"),
            (["--tracing-batch-delay-ms", "0"], nil, "tracing.batchDelayMs"),
            (["--tracing-sample-ratio", "0"], nil, "tracing.sampleRatio"),
            (["--tracing-sample-ratio", "1.5"], nil, "tracing.sampleRatio"),
            (nil, "tracing:\n  sampleRatio: 10%\n", "tracing.sampleRatio"),
        ] as [([String]?, String?, String)])
    func malformed(flags: [String]?, file: String?, key: String) async throws {
        let (status, message) = try await ConfigurationFailsClosedTests.start(flags: flags ?? [], file: file)
        #expect(status == 78, "\(message)")
        #expect(message.contains(key), "\(message)")
    }

    @Test("a metrics.listen address another process holds stops the service with 78 naming the key and the address")
    func addressInUse() async throws {
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(holder, $0, length) == 0 && listen(holder, 1) == 0 && getsockname(holder, $0, &length) == 0
            }
        }
        try #require(listening)
        let port = UInt16(bigEndian: address.sin_port)
        let (status, message) = try await ConfigurationFailsClosedTests.start(flags: ["--metrics-listen", "127.0.0.1:\(port)"])
        #expect(status == 78, "\(message)")
        #expect(message.contains("metrics.listen") && message.contains("127.0.0.1:\(port)"), "\(message)")
    }
}
