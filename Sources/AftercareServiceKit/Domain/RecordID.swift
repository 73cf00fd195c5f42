/// Record ids: a prefix, `_`, then 26 Crockford base-32 characters (48 bits of milliseconds, 80
/// random bits), so ids sort by creation time, e.g. `ord_01JD4S3M5Q7R8T9V0W1X2Y3Z4A`.
public enum RecordID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// A new id with `prefix` for a record created at `micros` (microseconds since the epoch).
    public static func make<R: RandomNumberGenerator>(_ prefix: String, atMicros micros: Int64, using generator: inout R) -> String {
        var characters = [UInt8](repeating: 0, count: 26)
        var time = UInt64(max(0, micros / 1_000))
        for index in stride(from: 9, through: 0, by: -1) {
            characters[index] = Self.alphabet[Int(time & 31)]
            time >>= 5
        }
        var random = UInt128(UInt64.random(in: .min ... .max, using: &generator)) << 64
            | UInt128(UInt64.random(in: .min ... .max, using: &generator))
        for index in stride(from: 25, through: 10, by: -1) {
            characters[index] = Self.alphabet[Int(random & 31)]
            random >>= 5
        }
        return prefix + "_" + String(decoding: characters, as: UTF8.self)
    }

    /// A new id with `prefix` for a record created at `micros`.
    public static func make(_ prefix: String, atMicros micros: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        return Self.make(prefix, atMicros: micros, using: &generator)
    }
}
