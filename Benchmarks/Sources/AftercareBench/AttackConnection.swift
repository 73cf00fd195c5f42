import AftercareWire
import NIOCore
import NIOPosix

/// A plaintext connection that speaks the wire protocol directly, as an attacker would: the
/// preface and a HELLO, then whatever frames it is given. What the server answers goes to an
/// ``AttackAnswers`` shared by all the attacker's connections.
struct AttackConnection: Sendable {
    private let channel: any Channel

    /// Connects, sends the preface and HELLO, and waits for the server's HELLO.
    static func open(socketPath: String, answers: AttackAnswers) async throws -> AttackConnection {
        let hello = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handlers = channel.pipeline.syncOperations
                    try handlers.addHandler(ByteToMessageHandler(FrameDecoder(expectPreface: false)))
                    try handlers.addHandler(FrameEncoderHandler(writePreface: true))
                    try handlers.addHandler(AttackAnswerHandler(answers: answers, hello: hello))
                }
            }
            .connect(unixDomainSocketPath: socketPath).get()
        try await channel.writeAndFlush(Frame.hello(HelloFields(peerName: "aftercare-bench-attacker", build: "dev")))
        try await hello.futureResult.get()
        return AttackConnection(channel: channel)
    }

    /// Writes `frame` and waits until it is written to the socket, at most `limit` (a server that
    /// stops reading holds it up); whether it was written. Waiting, the attacker holds one frame
    /// at a time, so the process's memory is mostly the server's.
    func send(_ frame: Frame, within limit: Duration) async -> Bool {
        let write = Task { try await self.channel.writeAndFlush(frame) }
        guard await finishes(write, within: limit) else { return false }
        return (try? await write.value) != nil
    }

    var isOpen: Bool { self.channel.isActive }

    func close() async {
        try? await self.channel.close()
    }
}

/// Records an attack connection's END and CONN_ERROR frames in ``AttackAnswers``, and completes
/// `hello` when the server's HELLO arrives (fails it if the connection closes first).
final class AttackAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = Frame

    private let answers: AttackAnswers
    private let hello: EventLoopPromise<Void>

    init(answers: AttackAnswers, hello: EventLoopPromise<Void>) {
        self.answers = answers
        self.hello = hello
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        switch frame.type {
        case .hello:
            self.hello.succeed()
        case .end:
            if let body = try? frame.endBody() { self.answers.end(status: body.status) }
        case .connectionError:
            self.answers.connectionError()
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.hello.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
