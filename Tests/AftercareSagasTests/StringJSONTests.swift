@testable import AftercareSagas
import Foundation
import Testing

/// The saga log's hand-written JSON of string maps and lists: what `JSONDecoder` reads back.
@Suite("Saga log JSON")
struct StringJSONTests {
    /// Strings that need escaping or are not ASCII.
    static let awkward = [
        "", "plain", "quote \" and backslash \\", "slash / ok", "line\nbreak\r\ttab", "\u{0}\u{1}\u{8}\u{C}\u{1F}\u{7F}",
        "中文 refund", "emoji 🧾", "{\"json\": [1, 2]}", "\\u0041",
    ]

    @Test("a map of awkward keys and values reads back whole, keys in order")
    func object() throws {
        var entries: [String: String] = [:]
        for (index, text) in Self.awkward.enumerated() {
            entries["k\(index) \(text)"] = text
            entries[text] = "v\(index)"
        }
        let json = StringJSON.object(entries)
        #expect(try JSONDecoder().decode([String: String].self, from: Data(json.utf8)) == entries)
        #expect(StringJSON.object(["b": "2", "a": "1", "a_b": "3"]) == #"{"a":"1","a_b":"3","b":"2"}"#)
        #expect(StringJSON.object([:]) == "{}")
    }

    @Test("a list of awkward strings reads back whole, in order")
    func array() throws {
        let json = StringJSON.array(Self.awkward)
        #expect(try JSONDecoder().decode([String].self, from: Data(json.utf8)) == Self.awkward)
        #expect(StringJSON.array([]) == "[]")
    }

    @Test("saga values written by JSONEncoder before read back as before")
    func olderText() throws {
        let values: SagaValues = ["case_id": "cas_1", "note": "a \"b\" / c"]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let older = try encoder.encode(values)
        #expect(try JSONDecoder().decode(SagaValues.self, from: older) == values)
        #expect(try JSONDecoder().decode(SagaValues.self, from: Data(StringJSON.object(values.entries).utf8)) == values)
    }
}
