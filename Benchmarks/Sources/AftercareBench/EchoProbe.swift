import AftercareRPC
import BenchEcho
import Foundation

/// One echo call made to see whether a real caller still gets through, and how fast.
enum EchoProbe: Sendable, CustomStringConvertible {
    case succeeded(Duration)
    case failed(String)

    /// Calls `EchoService.say` with the 100-byte request and a 30 s deadline, timing the round trip
    /// (connecting included, if the client has no connection yet).
    static func call(_ client: RPCClient) async -> EchoProbe {
        let start = ContinuousClock.now
        do {
            _ = try await client.unary(EchoService.say, AftercareSystem.echoRequest, options: CallOptions(timeout: .seconds(30)))
            return .succeeded(ContinuousClock.now - start)
        } catch {
            return .failed("\(error)")
        }
    }

    var description: String {
        switch self {
        case .succeeded(let elapsed): String(format: "succeeded in %.2f ms", elapsed.seconds * 1_000)
        case .failed(let error): "failed: \(error)"
        }
    }
}
