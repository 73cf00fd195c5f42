public import NIOCore

/// The fields of a HELLO frame (WIRE.md §5.1).
public struct HelloFields: Sendable, Hashable {
    public var version: ProtocolVersion
    public var limits: WireLimits
    /// The program, e.g. `aftercare-orders`.
    public var peerName: String
    /// Its version or build id.
    public var build: String

    public init(version: ProtocolVersion = WireProtocol.version, limits: WireLimits = .defaults, peerName: String, build: String) {
        self.version = version
        self.limits = limits
        self.peerName = peerName
        self.build = build
    }

    public enum Tag {
        public static let version: UInt16 = 0x8001
        public static let maxFrameSize: UInt16 = 0x0002
        public static let maxMessageSize: UInt16 = 0x0003
        public static let maxMetadataSize: UInt16 = 0x0004
        public static let maxConcurrentCalls: UInt16 = 0x0005
        public static let initialStreamWindow: UInt16 = 0x0006
        public static let peerName: UInt16 = 0x0007
        public static let build: UInt16 = 0x0008
    }

    /// Appends the fields as TLVs, every one of them, in WIRE.md's order.
    public func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(Tag.version)
        buffer.writeInteger(UInt16(2))
        buffer.writeInteger(self.version.major)
        buffer.writeInteger(self.version.minor)
        TLV.write(tag: Tag.maxFrameSize, integer: self.limits.maxFrameSize, to: &buffer)
        TLV.write(tag: Tag.maxMessageSize, integer: self.limits.maxMessageSize, to: &buffer)
        TLV.write(tag: Tag.maxMetadataSize, integer: self.limits.maxMetadataSize, to: &buffer)
        TLV.write(tag: Tag.maxConcurrentCalls, integer: self.limits.maxConcurrentCalls, to: &buffer)
        TLV.write(tag: Tag.initialStreamWindow, integer: self.limits.initialStreamWindow, to: &buffer)
        TLV.write(tag: Tag.peerName, string: self.peerName, to: &buffer)
        TLV.write(tag: Tag.build, string: self.build, to: &buffer)
    }

    /// Parses a HELLO ext block. Any error here is a `PROTOCOL_ERROR` for the connection.
    public static func parse(_ block: ByteBuffer) throws(WireError) -> HelloFields {
        var version: ProtocolVersion?
        var limits = WireLimits.defaults
        var peerName = ""
        var build = ""
        var seen = Set<UInt16>()
        do {
            try TLV.forEach(in: block) { (tag: UInt16, value: ByteBuffer) throws(FieldError) in
                guard seen.insert(tag).inserted else { throw FieldError("HELLO field 0x\(hex(tag)) appears twice") }
                switch tag {
                case Tag.version:
                    guard value.readableBytes == 2, let major = value.getInteger(at: value.readerIndex, as: UInt8.self),
                        let minor = value.getInteger(at: value.readerIndex + 1, as: UInt8.self)
                    else { throw FieldError("HELLO field 0x8001 (version) must be 2 bytes") }
                    version = ProtocolVersion(major: major, minor: minor)
                case Tag.maxFrameSize:
                    limits.maxFrameSize = try TLV.integer(value, as: UInt32.self, field: "HELLO field 0x0002 (max frame size)")
                case Tag.maxMessageSize:
                    limits.maxMessageSize = try TLV.integer(value, as: UInt32.self, field: "HELLO field 0x0003 (max message size)")
                case Tag.maxMetadataSize:
                    limits.maxMetadataSize = try TLV.integer(value, as: UInt32.self, field: "HELLO field 0x0004 (max metadata size)")
                case Tag.maxConcurrentCalls:
                    limits.maxConcurrentCalls = try TLV.integer(value, as: UInt32.self, field: "HELLO field 0x0005 (max concurrent calls)")
                case Tag.initialStreamWindow:
                    limits.initialStreamWindow = try TLV.integer(value, as: UInt32.self, field: "HELLO field 0x0006 (initial stream window)")
                case Tag.peerName:
                    peerName = try TLV.string(value, field: "HELLO field 0x0007 (peer name)", allowed: 0...WireProtocol.maxPeerNameLength)
                case Tag.build:
                    build = try TLV.string(value, field: "HELLO field 0x0008 (build)", allowed: 0...WireProtocol.maxPeerNameLength)
                default:
                    if tag & TLV.mustUnderstand != 0 {
                        throw FieldError("HELLO field 0x\(hex(tag)) is marked must-understand and is not known")
                    }
                }
            }
        } catch {
            throw WireError(.protocolError, error.message)
        }
        guard let version else {
            throw WireError(.protocolError, "HELLO field 0x8001 (version) is missing")
        }
        // Limits matter only between peers of one major version; the caller checks the major first.
        return HelloFields(version: version, limits: limits, peerName: peerName, build: build)
    }
}
