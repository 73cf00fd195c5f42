import AftercareRPC
import Foundation

/// Calls by method, from the bodies of span rows.
enum SpanMethods {
    /// How many of `bodies` (serialized `Span`s) name each method.
    static func count(_ bodies: [Data]) throws -> [String: Int] {
        var methods: [String: Int] = [:]
        for body in bodies {
            methods[try Aftercare_Common_V1_Span(serializedBytes: body).method, default: 0] += 1
        }
        return methods
    }
}
