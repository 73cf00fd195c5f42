import NIOCore
import NIOPosix
import NIOSSL

/// System (a), the floor: a length-prefixed echo written directly as SwiftNIO channel handlers,
/// the client driving the load on its event loop.
enum RawNIO {
    static func measure(plan: Plan, security: Security, certificates: Certificates, socketPath: String) async throws -> Measurement {
        let group = MultiThreadedEventLoopGroup.singleton
        let serverContext = security == .mutualTLS ? try certificates.rawServerContext() : nil
        let clientContext = security == .mutualTLS ? try certificates.rawClientContext() : nil
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let serverContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: serverContext))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LengthPrefixedDecoder()))
                    try channel.pipeline.syncOperations.addHandler(EchoServerHandler())
                }
            }
            .bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true).get()

        /// Connects one client channel whose load handler is `handler`.
        func connect(_ handler: some ChannelHandler & Sendable) async throws -> any Channel {
            try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let clientContext {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: clientContext, serverHostname: Certificates.serverName))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LengthPrefixedDecoder()))
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .connect(unixDomainSocketPath: socketPath).get()
        }

        let payload = [UInt8](repeating: 0x61, count: 100)
        // Sequential: one connection, one request at a time.
        let sequentialDone = group.any().makePromise(of: ([UInt64], Double).self)
        let sequential = try await connect(SequentialClientHandler(payload: payload, warmup: plan.warmupCalls, calls: plan.calls, done: sequentialDone))
        let (latencies, mallocs) = try await sequentialDone.futureResult.get()
        try await sequential.close()
        // Pipelined: a second connection with `concurrency` requests in flight.
        let pipelinedDone = group.any().makePromise(of: Throughput.self)
        let pipelined = try await connect(PipelinedClientHandler(payload: payload, plan: plan, done: pipelinedDone))
        let throughput = try await pipelinedDone.futureResult.get()
        try await pipelined.close()
        try await server.close()
        return Measurement(latencies: latencies.sorted(), callsPerSecond: throughput.callsPerSecond, cpuMicrosPerCall: throughput.cpuMicrosPerCall,
                           mallocsPerCall: mallocs, responseBytes: payload.count)
    }
}

/// Splits the byte stream into frames: a 4-byte big-endian length, then that many bytes.
struct LengthPrefixedDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
              buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        context.fireChannelRead(Self.wrapInboundOut(buffer.readSlice(length: Int(length))!))
        return .continue
    }
}

extension ChannelHandlerContext {
    /// Writes `payload` as one length-prefixed frame, without flushing.
    func writeFrame(_ payload: ByteBuffer) {
        var frame = self.channel.allocator.buffer(capacity: 4 + payload.readableBytes)
        frame.writeInteger(UInt32(payload.readableBytes))
        frame.writeImmutableBuffer(payload)
        self.write(NIOAny(frame), promise: nil)
    }
}

/// Answers each frame with the same bytes; flushes once per read burst.
final class EchoServerHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeFrame(Self.unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }
}

/// Sends the next request when the response arrives, timing each round trip with the monotonic
/// clock; completes `done` with the timed latencies in nanoseconds and the allocations per timed call.
final class SequentialClientHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private let payload: [UInt8]
    private let warmup: Int
    private let calls: Int
    private let done: EventLoopPromise<([UInt64], Double)>
    private var allocationsAtStart: UInt64 = 0
    private var latencies: [UInt64] = []
    private var completed = 0
    private var sentAt: UInt64 = 0

    init(payload: [UInt8], warmup: Int, calls: Int, done: EventLoopPromise<([UInt64], Double)>) {
        self.payload = payload
        self.warmup = warmup
        self.calls = calls
        self.done = done
        self.latencies.reserveCapacity(calls)
    }

    func channelActive(context: ChannelHandlerContext) {
        self.send(context)
    }

    private func send(_ context: ChannelHandlerContext) {
        self.sentAt = NIODeadline.now().uptimeNanoseconds
        context.writeFrame(context.channel.allocator.buffer(bytes: self.payload))
        context.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let elapsed = NIODeadline.now().uptimeNanoseconds - self.sentAt
        self.completed += 1
        if self.completed > self.warmup { self.latencies.append(elapsed) }
        if self.completed == self.warmup { self.allocationsAtStart = allocationCount() }
        if self.completed < self.warmup + self.calls {
            self.send(context)
        } else {
            self.done.succeed((self.latencies, Double(allocationCount() - self.allocationsAtStart) / Double(self.calls)))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.done.fail(error)
        context.close(promise: nil)
    }
}

/// Keeps `concurrency` requests in flight, replacing each answered one; counts responses between
/// the end of the warm-up and the end of the window, then stops sending and completes `done` with
/// calls per second (and the process's CPU time per call over the window) once everything in
/// flight has been answered.
final class PipelinedClientHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private let payload: [UInt8]
    private let plan: Plan
    private let done: EventLoopPromise<Throughput>
    private var inFlight = 0
    private var completed = 0
    private var windowStart: (count: Int, time: UInt64, cpu: Double)?
    private var windowEnd: (count: Int, time: UInt64, cpu: Double)?
    private var warmupEnds: UInt64 = 0

    init(payload: [UInt8], plan: Plan, done: EventLoopPromise<Throughput>) {
        self.payload = payload
        self.plan = plan
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        self.warmupEnds = NIODeadline.now().uptimeNanoseconds + UInt64(self.plan.warmup.seconds * 1e9)
        for _ in 0..<self.plan.concurrency { self.send(context) }
        context.flush()
    }

    private func send(_ context: ChannelHandlerContext) {
        self.inFlight += 1
        context.writeFrame(context.channel.allocator.buffer(bytes: self.payload))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.inFlight -= 1
        self.completed += 1
        let now = NIODeadline.now().uptimeNanoseconds
        if self.windowStart == nil, now >= self.warmupEnds {
            self.windowStart = (self.completed, now, processCPUMicros())
        }
        if let start = self.windowStart, self.windowEnd == nil, now >= start.time + UInt64(self.plan.window.seconds * 1e9) {
            self.windowEnd = (self.completed, now, processCPUMicros())
        }
        if self.windowEnd == nil {
            self.send(context)
        } else if self.inFlight == 0, let start = self.windowStart, let end = self.windowEnd {
            let calls = Double(end.count - start.count)
            self.done.succeed(Throughput(callsPerSecond: calls / (Double(end.time - start.time) / 1e9), cpuMicrosPerCall: (end.cpu - start.cpu) / calls))
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.done.fail(error)
        context.close(promise: nil)
    }
}
