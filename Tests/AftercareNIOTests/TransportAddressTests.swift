import AftercareNIO
import Testing

@Suite("Transport addresses")
struct TransportAddressTests {
    @Test("unix:<path> and tcp:<host>:<port> parse and print back the same; anything else is refused")
    func parsing() {
        for address in [TransportAddress.unix(path: "/run/aftercare/orders.sock"), .tcp(host: "10.0.0.7", port: 7101), .tcp(host: "::1", port: 1)] {
            #expect(TransportAddress(address.description) == address)
        }
        for text in ["", "unix:", "tcp:", "tcp:host", "tcp::7100", "tcp:host:0", "tcp:host:65536", "tcp:host:x", "/run/a.sock", "udp:h:1"] {
            #expect(TransportAddress(text) == nil, "\(text)")
        }
    }
}
