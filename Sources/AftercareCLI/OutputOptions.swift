import ArgumentParser
import Foundation
import SwiftProtobuf

/// `--json` and `--width`, and where the text goes.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON (protobuf field names, int64 as numbers) for scripts instead of text.")
    var json = false

    @Option(name: .customLong("width"), help: "Lay text out in this many columns (default: the terminal's width, else COLUMNS, else 100).")
    var widthOverride: Int?

    /// The columns text may use (`TerminalWidth`).
    var width: Int { TerminalWidth.resolve(self.widthOverride) }

    /// Prints `value` (messages, arrays and dictionaries of them, plain JSON values) as JSON.
    func printJSON(_ value: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: try JSON.value(value), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

/// JSON values built from protobuf messages and plain Swift values.
enum JSON {
    static let options: JSONEncodingOptions = {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        options.alwaysPrintInt64sAsNumbers = true
        return options
    }()

    /// `value` as a JSONSerialization value: a message through its protobuf JSON mapping.
    static func value(_ value: Any) throws -> Any {
        switch value {
        case let message as any SwiftProtobuf.Message:
            return try JSONSerialization.jsonObject(with: try message.jsonUTF8Data(options: Self.options))
        case let array as [Any]:
            return try array.map(Self.value)
        case let dictionary as [String: Any]:
            return try dictionary.mapValues(Self.value)
        default:
            return value
        }
    }
}
