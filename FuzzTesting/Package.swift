// swift-tools-version: 6.2
import PackageDescription

// The libFuzzer target over the frame decoder, the typed frame bodies (HELLO, CALL fields and
// metadata, END, DRAIN…) and the HELLO checks. Its own package, so `swift build` at the top never
// builds it with sanitizers; `make fuzz` builds it with `-sanitize=fuzzer,address
// -parse-as-library` and runs it. The two libraries it fuzzes are the main package's own sources
// (Sources/ here links to them), so it builds nothing else but NIOCore.
let package = Package(
    name: "aftercare-fuzz",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .target(
            name: "AftercareWire",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .target(
            name: "AftercareWireFuzzing",
            dependencies: ["AftercareWire", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "AftercareWireFuzzer",
            dependencies: ["AftercareWireFuzzing"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
