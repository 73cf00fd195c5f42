import AftercareServiceRuntime
import AftercareTesting
import Foundation
import Logging
import Synchronization
import Testing

/// `log.format: json`: each record one JSON object on one line, read back here with Foundation's
/// JSON parser.
@Suite("JSON log lines")
struct JSONLogHandlerTests {
    /// The lines a logger labelled `label` wrote through a ``JSONLogHandler`` while `body` ran.
    static func lines(label: String = "aftercare-orders", level: Logger.Level = .info, _ body: (Logger) -> Void) -> [String] {
        let written = Mutex<[String]>([])
        var handler = JSONLogHandler(label: label, service: "aftercare-orders") { line in written.withLock { $0.append(line) } }
        handler.logLevel = level
        body(Logger(label: label, factory: { _ in handler }))
        return written.withLock { $0 }
    }

    static func object(_ line: String) throws -> [String: Any] {
        #expect(line.hasSuffix("}\n") && line.dropLast().contains("\n") == false, "one line: \(line)")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
    }

    @Test("a call's record: trace_id and span_id at the top, the rest of the metadata nested, the level and the service named")
    func callRecord() throws {
        let lines = Self.lines { logger in
            var logger = logger
            logger[metadataKey: "trace.id"] = "4bf92f3577b34da6a3ce929d0e0e4736"
            logger[metadataKey: "span.id"] = "00f067aa0ba902b7"
            logger[metadataKey: "rpc.method"] = "aftercare.orders.v1.Orders/GetOrder"
            logger.warning("order not found", metadata: ["order.id": "ord_1", "tries": .stringConvertible(3)])
        }
        #expect(lines.count == 1)
        let record = try Self.object(try #require(lines.first))
        #expect(record["level"] as? String == "warning")
        #expect(record["service"] as? String == "aftercare-orders")
        #expect(record["logger"] as? String == "aftercare-orders")
        #expect(record["message"] as? String == "order not found")
        #expect(record["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(record["span_id"] as? String == "00f067aa0ba902b7")
        let metadata = try #require(record["metadata"] as? [String: Any])
        #expect(metadata.keys.sorted() == ["order.id", "rpc.method", "tries"])
        #expect(metadata["tries"] as? String == "3")
        let time = try #require(record["time"] as? String)
        #expect(try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(time).timeIntervalSinceNow.magnitude < 60, "\(time)")
    }

    @Test("quotes, backslashes, newlines, control characters and non-ASCII text survive; lists and maps stay JSON lists and maps")
    func escaping() throws {
        let message = "say \"hi\"\\ then\nnew line\t\u{1}\u{1F}: 退款 ✓"
        let lines = Self.lines { logger in
            logger.error(
                "\(message)",
                metadata: ["list": ["a", "b\"c"], "map": ["k": "v", "n": ["x"]], "empty": ""])
        }
        let record = try Self.object(try #require(lines.first))
        #expect(record["message"] as? String == message)
        #expect(record["trace_id"] == nil && record["span_id"] == nil)
        let metadata = try #require(record["metadata"] as? [String: Any])
        #expect(metadata["list"] as? [String] == ["a", "b\"c"])
        let map = try #require(metadata["map"] as? [String: Any])
        #expect(map["k"] as? String == "v")
        #expect(map["n"] as? [String] == ["x"])
        #expect(metadata["empty"] as? String == "")
    }

    @Test("records below log.level are not written; no metadata, no metadata object")
    func levels() throws {
        let lines = Self.lines(level: .notice) { logger in
            logger.info("hidden")
            logger.notice("shown")
        }
        #expect(lines.count == 1)
        let record = try Self.object(try #require(lines.first))
        #expect(record["message"] as? String == "shown")
        #expect(record["metadata"] == nil)
    }

    @Test("aftercare-orders with --log-format json writes only JSON lines, its start among them")
    func executable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let orders = try await ServiceProcess.start("orders", in: directory, arguments: ["--log-format", "json"])
        #expect(try await orders.stop() == 0)
        let lines = orders.log.split(separator: "\n").map { String($0) + "\n" }
        #expect(lines.count >= 2)
        let records = try lines.map(Self.object)
        let starting = try #require(records.first { $0["message"] as? String == "starting" })
        #expect(starting["service"] as? String == "aftercare-orders")
        #expect(starting["level"] as? String == "info")
        #expect((starting["metadata"] as? [String: Any])?["log.format"] as? String == "json")
        #expect(records.contains { $0["message"] as? String == "draining" })
    }
}
