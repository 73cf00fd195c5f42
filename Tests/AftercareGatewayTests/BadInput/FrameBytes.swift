/// Frames written byte by byte (WIRE.md §3, §5), so that a catalogue line can get any field wrong:
/// lengths, types, flags, stream ids, TLVs. Nothing here checks anything.
enum Bytes {
    static let preface: [UInt8] = [0x41, 0x46, 0x54, 0x43, 0x0D, 0x0A, 0x1A, 0x0A]

    // Frame types and flags, as WIRE.md §3.2 and §4 number them.
    static let call: UInt8 = 0x01, message: UInt8 = 0x02, end: UInt8 = 0x03, cancel: UInt8 = 0x04, credit: UInt8 = 0x05
    static let hello: UInt8 = 0x41, ping: UInt8 = 0x42, drain: UInt8 = 0x43, connError: UInt8 = 0x44
    static let endStream: UInt8 = 0x01, compressed: UInt8 = 0x02, more: UInt8 = 0x04, ack: UInt8 = 0x08

    /// A method every server answers, to every caller that connected: the calls that must run.
    static let health = "aftercare.common.v1.Server/Health"

    static func u16(_ value: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)] }
    static func u32(_ value: UInt32) -> [UInt8] { (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
    static func u64(_ value: UInt64) -> [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
    static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }
    static func repeated(_ count: Int, _ byte: UInt8 = 0x61) -> [UInt8] { [UInt8](repeating: byte, count: count) }

    /// One TLV: tag, length (the value's, unless `length` says otherwise), value.
    static func tlv(_ tag: UInt16, _ value: [UInt8], length: Int? = nil) -> [UInt8] {
        u16(Int(tag)) + u16(length ?? value.count) + value
    }

    /// A frame: the header (with `length` and `ext_len` computed unless given) and its body.
    static func frame(
        _ type: UInt8, flags: UInt8 = 0, stream: UInt32 = 0, ext: [UInt8] = [], payload: [UInt8] = [], length: UInt32? = nil, extLen: Int? = nil
    ) -> [UInt8] {
        u32(length ?? UInt32(ext.count + payload.count)) + [type, flags] + u16(extLen ?? ext.count) + u32(stream) + ext + payload
    }

    // MARK: HELLO

    /// The version TLV of a HELLO.
    static func version(_ major: UInt8 = 1, _ minor: UInt8 = 0) -> [UInt8] { tlv(0x8001, [major, minor]) }

    /// A client's HELLO with `fields` as its ext block (by default: version 1.0 and a peer name).
    static func helloFrame(_ fields: [UInt8] = version() + tlv(0x0007, utf8("bad-input")), stream: UInt32 = 0, payload: [UInt8] = []) -> [UInt8] {
        frame(hello, stream: stream, ext: fields, payload: payload)
    }

    /// A HELLO of version 1.0 plus one `u32` field.
    static func helloWith(_ tag: UInt16, u32 value: UInt32) -> [UInt8] { helloFrame(version() + tlv(tag, u32(value))) }

    // MARK: Calls

    /// The method TLV.
    static func method(_ name: String) -> [UInt8] { tlv(0x8001, utf8(name)) }

    /// A CALL of Health (or `method`) with extra `fields` after the method TLV.
    static func callFrame(
        _ stream: UInt32, flags: UInt8 = endStream, method name: String = health, fields: [UInt8] = [], payload: [UInt8] = []
    ) -> [UInt8] {
        frame(call, flags: flags, stream: stream, ext: method(name) + fields, payload: payload)
    }

    /// A CALL whose ext block is exactly `ext`.
    static func callExt(_ stream: UInt32, _ ext: [UInt8], flags: UInt8 = endStream, payload: [UInt8] = []) -> [UInt8] {
        frame(call, flags: flags, stream: stream, ext: ext, payload: payload)
    }

    /// A metadata entry TLV (tag 0x1000): key length, key, value.
    static func metadata(_ key: [UInt8], _ value: [UInt8]) -> [UInt8] { tlv(0x1000, [UInt8(truncatingIfNeeded: key.count)] + key + value) }
    static func metadata(_ key: String, _ value: String) -> [UInt8] { metadata(utf8(key), utf8(value)) }

    /// A saga context TLV: saga id, step, direction, attempt (WIRE.md §5.2).
    static func saga(_ id: String = "sg_bad", _ step: String = "step", direction: UInt8 = 0, attempt: Int = 1, trailing: [UInt8] = []) -> [UInt8] {
        tlv(0x8004, [UInt8(id.utf8.count)] + utf8(id) + [UInt8(step.utf8.count)] + utf8(step) + [direction] + u16(attempt) + trailing)
    }

    /// A binary traceparent TLV: version, trace id, parent id, flags.
    static func traceparent(version: UInt8 = 0, trace: UInt8 = 0x4B, parent: UInt8 = 0x07, size: Int = 26) -> [UInt8] {
        let value = [version] + repeated(16, trace) + repeated(8, parent) + [1]
        return tlv(0x0003, Array((value + repeated(max(0, size - 26), 0)).prefix(size)))
    }

    // MARK: Other frames

    static func messageFrame(_ stream: UInt32, flags: UInt8 = endStream, payload: [UInt8] = [], ext: [UInt8] = []) -> [UInt8] {
        frame(message, flags: flags, stream: stream, ext: ext, payload: payload)
    }
    static func cancelFrame(_ stream: UInt32, reason: [UInt8] = [2]) -> [UInt8] { frame(cancel, stream: stream, payload: reason) }
    static func creditFrame(_ stream: UInt32, _ increment: [UInt8] = u32(8)) -> [UInt8] { frame(credit, stream: stream, payload: increment) }
    static func pingFrame(_ data: UInt64 = 0x0102_0304_0506_0708, flags: UInt8 = 0, stream: UInt32 = 0) -> [UInt8] {
        frame(ping, flags: flags, stream: stream, payload: u64(data))
    }
    /// `count` PINGs in one write.
    static func pings(_ count: Int) -> [UInt8] { (0..<count).flatMap { pingFrame(UInt64($0)) } }
}
