import AftercareGateway
import Testing

@Suite("Gateway module")
struct GatewayModuleTests {
    @Test("the module links")
    func links() {
        #expect(String(describing: GatewayModule.self) == "GatewayModule")
    }
}
