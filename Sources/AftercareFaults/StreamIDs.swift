import AftercareWire

/// One connection's stream ids on both sides of the faults: the client numbers its calls, the
/// wire gets increasing ids of its own, so calls can be dropped, added (duplicates), reordered
/// and held while both ends still see well-formed, increasing ids.
struct StreamIDs {
    private var nextWireID: UInt32 = 1
    private var wireIDs: [UInt32: UInt32] = [:]
    private var clientIDs: [UInt32: UInt32] = [:]

    /// The next wire id, for a call the client never opened (a duplicate's copy).
    mutating func reserve() -> UInt32 {
        defer { self.nextWireID += 2 }
        return self.nextWireID
    }

    /// A client's CALL with the next wire id, which its later frames and its replies then share.
    mutating func assign(_ frame: Frame) -> Frame {
        var translated = frame
        translated.streamID = self.reserve()
        self.wireIDs[frame.streamID] = translated.streamID
        self.clientIDs[translated.streamID] = frame.streamID
        return translated
    }

    /// A client's frame with its call's wire id.
    func toWire(_ frame: Frame) -> Frame {
        var translated = frame
        translated.streamID = self.wireIDs[frame.streamID] ?? frame.streamID
        return translated
    }

    /// A server's frame with its call's client id.
    func toClient(_ frame: Frame) -> Frame {
        var translated = frame
        translated.streamID = self.clientIDs[frame.streamID] ?? frame.streamID
        return translated
    }

    /// A DRAIN's last accepted call in client ids: the highest client call sent at or below it.
    func toClient(_ drain: DrainBody) -> DrainBody {
        var translated = drain
        translated.lastStreamID = self.clientIDs.filter { $0.key <= drain.lastStreamID }.values.max() ?? 0
        return translated
    }
}
