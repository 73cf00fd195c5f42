// swift-tools-version: 6.2
import PackageDescription

// `aftercare-bench echo`: raw SwiftNIO vs Aftercare vs grpc-swift-2, one Unix-socket connection each,
// plaintext and mutual TLS. `aftercare-bench services`: each service's main mutating call over a
// Unix socket with mutual TLS and synchronous=FULL, against the storage floor (the same number of
// bare SQLite transactions). `aftercare-bench sagas`: refund-only and return-and-refund sagas end to
// end through the gateway's public API, against the six release-built executables of the main
// package as processes, on SQLite or on a PostgreSQL server of its own (which it reads with
// postgres-nio); echo's (d) is Aftercare with metrics recorded into swift-prometheus, (e)
// Aftercare with spans made and exported by swift-otel.
// `aftercare-bench load`: 1,000 concurrent callers on one connection and on
// 64, a fragment attack and 1,000 silent connections against one in-process server, with the
// process's memory and descriptors. Its own package so the top-level `swift build` never builds it (nor
// fetches grpc-swift); `make bench` runs it. `aftercare` links to the repository root (SwiftPM names
// a path dependency after its directory), and Sources/AftercareEcho to the echo service's sources.
let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "aftercare-bench",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "aftercare-bench", targets: ["AftercareBench"])],
    dependencies: [
        .package(path: "aftercare"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", exact: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", exact: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", exact: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // The saga benchmark on PostgreSQL reads the services' databases (already a dependency of
        // the main package: nothing more to fetch or build).
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // The echo service, compiled from the main package's Sources/AftercareEcho (not a product there;
        // a target name must be unique in the package graph, hence the other name).
        .target(
            name: "BenchEcho",
            dependencies: [
                .product(name: "AftercareRPC", package: "aftercare"),
                .product(name: "AftercareWire", package: "aftercare"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        // Counts malloc/calloc/realloc/free calls by interposing them (forwarding to glibc).
        .target(name: "CMallocCounter"),
        .executableTarget(
            name: "AftercareBench",
            dependencies: [
                "BenchEcho",
                "CMallocCounter",
                .product(name: "AftercareRPC", package: "aftercare"),
                .product(name: "AftercareNIO", package: "aftercare"),
                .product(name: "AftercareWire", package: "aftercare"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "AftercareServiceKit", package: "aftercare"),
                .product(name: "AftercareOrders", package: "aftercare"),
                .product(name: "AftercareOrdersAPI", package: "aftercare"),
                .product(name: "AftercarePayments", package: "aftercare"),
                .product(name: "AftercarePaymentsAPI", package: "aftercare"),
                .product(name: "AftercareLogistics", package: "aftercare"),
                .product(name: "AftercareLogisticsAPI", package: "aftercare"),
                .product(name: "AftercareAftersalesAPI", package: "aftercare"),
                .product(name: "AftercareGatewayAPI", package: "aftercare"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
