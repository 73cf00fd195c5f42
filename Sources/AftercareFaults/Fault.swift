/// One fault to inject: what to do, and to which call or connection.
package struct Fault: Sendable, Hashable, CustomStringConvertible {
    /// What the fault does.
    package enum Kind: Sendable, Hashable {
        /// The request never reaches the server; the caller waits for its deadline.
        case dropRequest
        /// The server runs the call; its reply never reaches the caller.
        case dropReply
        /// The server receives the call twice, with the same metadata and saga context; the
        /// caller sees the first reply only.
        case duplicate
        /// The request leaves this much later (and so does everything written after it).
        case delayRequest(Duration)
        /// The reply arrives this much later (and so does everything read after it).
        case delayReply(Duration)
        /// The request is held back until the next call's request has left: the two swap places.
        case reorder
        /// The request is held back until the `call`th call matching `until` has been answered
        /// by the server, then delivered: a request that arrives late, after its caller gave up
        /// (its later frames, a cancellation, and its reply are dropped), and after the releasing
        /// call has run — a compensation sent meanwhile, say.
        case holdRequest(until: MethodPattern, call: Int)
        /// The request's message arrives unreadable (every byte 0xFF): the server refuses the call
        /// with INVALID_ARGUMENT before running anything — a refusal on demand, as a participant's
        /// business refusal would look to its caller.
        case garbleRequest
        /// The connection is cut once this many bytes have been written on it.
        case cutConnection(afterBytes: Int)
    }

    package var kind: Kind
    /// Which calls it applies to; `nil` for connection faults.
    package var method: MethodPattern?
    /// The ordinal (1-based) of the matching call, or of the connection, it applies to; `nil` for every one.
    package var ordinal: Int?

/// A fault of `kind` for the calls matching `method` (or a connection), the `ordinal`th only if given.
    package init(_ kind: Kind, method: MethodPattern? = nil, ordinal: Int? = nil) {
        self.kind = kind
        self.method = method
        self.ordinal = ordinal
    }

    /// Drops the request of the `call`th call matching `method`.
    package static func dropRequest(of method: MethodPattern, call: Int? = nil) -> Fault { Fault(.dropRequest, method: method, ordinal: call) }
    /// Drops the reply of the `call`th call matching `method`.
    package static func dropReply(of method: MethodPattern, call: Int? = nil) -> Fault { Fault(.dropReply, method: method, ordinal: call) }
    /// Delivers the `call`th call matching `method` twice.
    package static func duplicate(_ method: MethodPattern, call: Int? = nil) -> Fault { Fault(.duplicate, method: method, ordinal: call) }
    /// Delays the request of the `call`th call matching `method`.
    package static func delayRequest(of method: MethodPattern, call: Int? = nil, by delay: Duration) -> Fault {
        Fault(.delayRequest(delay), method: method, ordinal: call)
    }
    /// Delays the reply of the `call`th call matching `method`.
    package static func delayReply(of method: MethodPattern, call: Int? = nil, by delay: Duration) -> Fault {
        Fault(.delayReply(delay), method: method, ordinal: call)
    }
    /// Swaps the `call`th call matching `method` with the call after it.
    package static func reorder(_ method: MethodPattern, call: Int? = nil) -> Fault { Fault(.reorder, method: method, ordinal: call) }
    /// Holds the request of the `call`th call matching `method` until the `untilCall`th call matching `until` has left.
    package static func holdRequest(of method: MethodPattern, call: Int? = nil, until: MethodPattern, untilCall: Int) -> Fault {
        Fault(.holdRequest(until: until, call: untilCall), method: method, ordinal: call)
    }
    /// Garbles the request of the `call`th call matching `method`.
    package static func garbleRequest(of method: MethodPattern, call: Int? = nil) -> Fault { Fault(.garbleRequest, method: method, ordinal: call) }
    /// Cuts the `connection`th connection (every one, if `nil`) after `bytes` written.
    package static func cutConnection(afterBytes bytes: Int, connection: Int? = nil) -> Fault {
        Fault(.cutConnection(afterBytes: bytes), ordinal: connection)
    }

    /// The fault in the script syntax of ``FaultPlan/init(script:)``.
    package var description: String {
        let target = "\(self.method.map { "\($0)" } ?? "")\(self.ordinal.map { " #\($0)" } ?? "")"
        switch self.kind {
        case .dropRequest: return "drop-request \(target)"
        case .dropReply: return "drop-reply \(target)"
        case .duplicate: return "duplicate \(target)"
        case .delayRequest(let delay): return "delay-request \(target) \(FaultPlan.format(delay))"
        case .delayReply(let delay): return "delay-reply \(target) \(FaultPlan.format(delay))"
        case .reorder: return "reorder \(target)"
        case .garbleRequest: return "garble-request \(target)"
        case .holdRequest(let until, let call): return "hold-request \(target) until \(until) #\(call)"
        case .cutConnection(let bytes): return "cut-after \(bytes)\(self.ordinal.map { " #\($0)" } ?? "")"
        }
    }
}
