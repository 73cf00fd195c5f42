@testable import AftercareAftersales
import Foundation
import SwiftProtobuf
import Testing

/// A case and a history entry as aftersales stores them (`aftersales_records.proto`).
@Suite("Stored records")
struct StoredRecordTests {
    @Test("a case with every field set reads back whole, and so does one with every optional field absent")
    func caseRoundTrip() throws {
        for record in [StoreFixtures.everyField(), StoreFixtures.caseRecord("cas_1")] {
            #expect(try CaseRecord(storedData: try record.storedData()) == record)
        }
    }

    @Test("a history entry with every field set reads back whole")
    func entryRoundTrip() throws {
        let entry = StoreFixtures.everyFieldEntry()
        #expect(try HistoryEntryRecord(storedData: try entry.storedData()) == entry)
    }

    @Test("a stored state this version does not know fails the read, naming the field and the value")
    func unknownState() throws {
        var stored = StoreFixtures.caseRecord("cas_1").stored
        stored.state = "TELEPORTED"
        let error = #expect(throws: StoredRecordError.self) { try CaseRecord(storedData: try stored.serializedData()) }
        #expect(error?.description == "stored case state \"TELEPORTED\" is not known")
    }

    @Test("bytes that are not a record fail the read")
    func notARecord() {
        #expect(throws: (any Error).self) { try CaseRecord(storedData: Data([0xFF, 0xFF, 0xFF])) }
    }
}
