import Foundation
package import Logging
import Synchronization

/// A swift-log handler that writes each record as one JSON object on one line (`log.format: json`),
/// for log collectors: `time` (UTC, ISO 8601 with milliseconds), `level`, `service`, `logger` (the
/// logger's label), `message`, `trace_id` and `span_id` when the logger carries them (the
/// `trace.id` and `span.id` metadata a call's or saga's logger has), and the rest of the metadata
/// under `metadata`, each value as a JSON string, array or object.
package struct JSONLogHandler: LogHandler {
    /// Where finished lines go: one call per record, the line ending in a newline.
    package typealias Sink = @Sendable (String) -> Void

    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    package var logLevel: Logger.Level = .info
    private let label: String
    private let service: String
    private let sink: Sink

    /// - Parameters:
    ///   - label: the logger's label.
    ///   - service: the executable's name, e.g. `aftercare-orders`.
    ///   - sink: where each line goes; standard error by default.
    package init(label: String, service: String, sink: @escaping Sink = JSONLogHandler.standardError) {
        self.label = label
        self.service = service
        self.sink = sink
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var metadata = self.metadata
        if let provided = self.metadataProvider?.get() { metadata.merge(provided) { _, new in new } }
        if let explicit = event.metadata { metadata.merge(explicit) { _, new in new } }
        let traceID = metadata.removeValue(forKey: "trace.id")
        let spanID = metadata.removeValue(forKey: "span.id")
        var line = "{\"time\":"
        Self.append(string: Self.timestamp(), to: &line)
        line += ",\"level\":"
        Self.append(string: event.level.rawValue, to: &line)
        line += ",\"service\":"
        Self.append(string: self.service, to: &line)
        line += ",\"logger\":"
        Self.append(string: self.label, to: &line)
        line += ",\"message\":"
        Self.append(string: event.message.description, to: &line)
        if let traceID {
            line += ",\"trace_id\":"
            Self.append(value: traceID, to: &line)
        }
        if let spanID {
            line += ",\"span_id\":"
            Self.append(value: spanID, to: &line)
        }
        if !metadata.isEmpty {
            line += ",\"metadata\":"
            Self.append(value: .dictionary(metadata), to: &line)
        }
        line += "}\n"
        self.sink(line)
    }

    /// Writes `line` to standard error in one `write`, so that lines of concurrent records do not
    /// interleave.
    package static let standardError: Sink = { line in
        standardErrorLock.withLock { _ in
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    private static let standardErrorLock = Mutex(())

    private static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    private static func timestamp() -> String {
        Self.timeStyle.format(Date.now)
    }

    private static func append(value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let text):
            Self.append(string: text, to: &line)
        case .stringConvertible(let convertible):
            Self.append(string: convertible.description, to: &line)
        case .array(let values):
            line += "["
            for (index, element) in values.enumerated() {
                if index > 0 { line += "," }
                Self.append(value: element, to: &line)
            }
            line += "]"
        case .dictionary(let entries):
            line += "{"
            for (index, entry) in entries.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { line += "," }
                Self.append(string: entry.key, to: &line)
                line += ":"
                Self.append(value: entry.value, to: &line)
            }
            line += "}"
        }
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped (RFC 8259 §7).
    private static func append(string text: String, to line: inout String) {
        line += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }
}
