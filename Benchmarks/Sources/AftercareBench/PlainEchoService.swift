import AftercareRPC
import BenchEcho

/// `aftercare.echo.v1.Echo/Say` answered as systems (a) and (c) answer: the request's text and
/// payload back, nothing of the call reflected. So (b) does the same work per call as the others,
/// and what it costs beyond them is its runtime.
struct PlainEchoService: RPCService {
    func register(in router: inout RPCRouter) {
        router.unary(EchoService.say) { request, _ in
            var response = Aftercare_Echo_V1_EchoResponse()
            response.text = request.text
            response.payload = request.payload
            return response
        }
    }
}
