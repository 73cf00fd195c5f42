import AftercareWire
import NIOCore

/// The faults of one connection, in its pipeline between the transport and the RPC client's
/// protocol handler: it drops, duplicates, delays, reorders, holds back or garbles the requests
/// the client writes and the replies the server sends, or cuts the connection, as its
/// ``FaultInjector`` decides. It runs on the channel's event loop, and works frame by frame:
/// it decodes the bytes each way, and encodes the frames it lets through.
final class FaultHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A call held back, with the frames the client has written on it since.
    struct HeldCall {
        var clientID: UInt32
        var frames: [Frame]
    }

    let injector: FaultInjector
    private var requests = NIOSingleStepByteToMessageProcessor(FrameDecoder(expectPreface: true, maxFrameSize: WireLimits.frameSizeRange.upperBound))
    private var requestEncoder = FrameEncoder(writePreface: true)
    private var replies = NIOSingleStepByteToMessageProcessor(FrameDecoder(expectPreface: false, maxFrameSize: WireLimits.frameSizeRange.upperBound))
    private let replyEncoder = FrameEncoder(writePreface: false)
    var ids = StreamIDs()
    /// Calls whose frames are swallowed on the way out, by client id.
    var droppedRequests: Set<UInt32> = []
    /// Wire ids whose replies are swallowed: dropped replies, duplicates' copies, released holds.
    var droppedReplies: Set<UInt32> = []
    /// The wire id of each duplicated call's copy, by the client's id.
    var copies: [UInt32: UInt32] = [:]
    /// How much later each reply frame of a call arrives, by wire id.
    var replyDelays: [UInt32: Duration] = [:]
    /// A call held back by `reorder`, sent right after the next call's request.
    var reordered: HeldCall?
    /// Calls held back by `hold-request`, by the fault's kind, until the call that releases them.
    var holds: [Fault.Kind: HeldCall] = [:]
    /// Held calls whose caller sees nothing more of them: their later frames are dropped.
    var abandoned: Set<UInt32> = []
    /// The holds each sent call releases once the server has answered it (its END), by wire id.
    var releasedByReply: [UInt32: [Fault]] = [:]

    /// The bytes the connection may carry before it is cut, and the fault that cuts it.
    private let budget: (bytes: Int, fault: Fault, ordinal: Int)?
    private var bytesWritten = 0
    private var isCut = false
    /// A delayed request waiting to leave; what the client writes meanwhile waits behind it.
    private var requestDelay: Scheduled<Void>?
    private var waitingRequests = CircularBuffer<(frame: Frame, promise: EventLoopPromise<Void>?)>()
    /// A delayed reply waiting to arrive; what the server sends meanwhile waits behind it.
    private var replyDelay: Scheduled<Void>?
    private var waitingReplies = CircularBuffer<Frame>()

    /// A handler for a connection now opening: the injector counts it, for `cut-after`.
    init(injector: FaultInjector) {
        self.injector = injector
        self.budget = injector.byteBudget()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.requestDelay?.cancel()
        self.requestDelay = nil
        self.replyDelay?.cancel()
        self.replyDelay = nil
        while let waiting = self.waitingRequests.popFirst() { waiting.promise?.fail(ChannelError.ioOnClosedChannel) }
        self.waitingReplies.removeAll()
    }

    // MARK: Outbound

    /// Takes the frames in what the client writes one by one; the write itself succeeds at once.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        do {
            try self.requests.process(buffer: Self.unwrapOutboundIn(data)) { frame in
                guard self.requestDelay == nil, self.waitingRequests.isEmpty else {
                    self.waitingRequests.append((frame, nil))
                    return
                }
                self.send(frame, promise: nil, context: context)
            }
            promise?.succeed()
        } catch {
            promise?.fail(error)
            context.fireErrorCaught(error)
        }
    }

    /// Holds back everything the client writes for `delay`; then runs `send`, and the frames
    /// written meanwhile follow.
    func delayRequests(by delay: Duration, context: ChannelHandlerContext, then send: @escaping () -> Void) {
        self.requestDelay = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
            self.requestDelay = nil
            send()
            while self.requestDelay == nil, let waiting = self.waitingRequests.popFirst() {
                self.send(waiting.frame, promise: waiting.promise, context: context)
            }
            context.flush()
        }
    }

    /// Writes `frames` (`promise` is the first's) within the connection's byte budget; past it,
    /// cuts the connection, and writes nothing more.
    func write(_ frames: [Frame], promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        if let budget = self.budget {
            let size = frames.reduce(0) { $0 + WireProtocol.headerSize + $1.length }
            guard !self.isCut, self.bytesWritten + size <= budget.bytes else {
                if !self.isCut {
                    self.isCut = true
                    self.injector.record(budget.fault, ordinal: budget.ordinal)
                    context.close(promise: nil)
                }
                promise?.fail(ChannelError.ioOnClosedChannel)
                return
            }
            self.bytesWritten += size
        }
        for (index, frame) in frames.enumerated() {
            var bytes = context.channel.allocator.buffer(capacity: WireProtocol.preface.count + WireProtocol.headerSize + frame.length)
            self.requestEncoder.encode(frame, into: &bytes)
            context.write(Self.wrapOutboundOut(bytes), promise: index == 0 ? promise : nil)
        }
    }

    // MARK: Inbound

    /// Takes the frames in what the server sends one by one.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            try self.replies.process(buffer: Self.unwrapInboundIn(data)) { frame in
                guard self.replyDelay == nil, self.waitingReplies.isEmpty else {
                    self.waitingReplies.append(frame)
                    return
                }
                self.receive(frame, context: context)
            }
        } catch {
            context.fireErrorCaught(error)
        }
    }

    /// Hands one reply frame on to the client, as bytes.
    func deliver(_ frame: Frame, context: ChannelHandlerContext) {
        var bytes = context.channel.allocator.buffer(capacity: WireProtocol.headerSize + frame.length)
        var encoder = self.replyEncoder
        encoder.encode(frame, into: &bytes)
        context.fireChannelRead(Self.wrapInboundOut(bytes))
    }

    /// Delivers `frame` after `delay`; the frames the server sends meanwhile follow it.
    func delayReplies(by delay: Duration, context: ChannelHandlerContext, then frame: Frame) {
        self.replyDelay = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
            self.replyDelay = nil
            self.deliver(frame, context: context)
            while self.replyDelay == nil, let waiting = self.waitingReplies.popFirst() {
                self.receive(waiting, context: context)
            }
            context.fireChannelReadComplete()
        }
    }
}

@available(*, unavailable)
extension FaultHandler: Sendable {}
