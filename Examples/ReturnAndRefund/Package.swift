// swift-tools-version: 6.2
import PackageDescription

// `aftercare-example-return`: one return-and-refund through a running gateway with the client
// library, as an application's own package would use it. `aftercare` is this repository's root,
// two directories up; an application outside the repository names its checkout's path instead.
// The root package also builds these sources, as its target `AftercareExampleReturn`.
let package = Package(
    name: "ReturnAndRefund",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "aftercare-example-return", targets: ["ReturnAndRefund"])],
    dependencies: [
        .package(name: "aftercare", path: "../.."),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        .executableTarget(
            name: "ReturnAndRefund",
            dependencies: [
                .product(name: "AftercareClient", package: "aftercare"),
                // The request and response messages the example reads and builds, and Money's `formatted`.
                .product(name: "AftercareGatewayAPI", package: "aftercare"),
                .product(name: "AftercareOrdersAPI", package: "aftercare"),
                .product(name: "AftercarePaymentsAPI", package: "aftercare"),
                .product(name: "AftercareLogisticsAPI", package: "aftercare"),
                .product(name: "AftercareAftersalesAPI", package: "aftercare"),
                .product(name: "AftercareRPC", package: "aftercare"),
                // `.with { }` on the messages.
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/ReturnAndRefund",
            // The root package's settings, so the same source builds in both.
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("InternalImportsByDefault"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        )
    ]
)
