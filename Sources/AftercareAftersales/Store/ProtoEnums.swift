import AftercareAftersalesAPI

// The wire's enums and the domain's, one to one (`unspecified` has no domain value).

extension CaseKind {
    init?(_ proto: Aftercare_Aftersales_V1_CaseKind) {
        switch proto {
        case .refundOnly: self = .refundOnly
        case .returnAndRefund: self = .returnAndRefund
        case .exchange: self = .exchange
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    var proto: Aftercare_Aftersales_V1_CaseKind {
        switch self {
        case .refundOnly: .refundOnly
        case .returnAndRefund: .returnAndRefund
        case .exchange: .exchange
        }
    }
}

extension CaseReason {
    init?(_ proto: Aftercare_Aftersales_V1_CaseReason) {
        switch proto {
        case .noReason7D: self = .noReason7d
        case .damaged: self = .damaged
        case .notAsDescribed: self = .notAsDescribed
        case .wrongItem: self = .wrongItem
        case .notReceived: self = .notReceived
        case .quality: self = .quality
        case .other: self = .other
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    var proto: Aftercare_Aftersales_V1_CaseReason {
        switch self {
        case .noReason7d: .noReason7D
        case .damaged: .damaged
        case .notAsDescribed: .notAsDescribed
        case .wrongItem: .wrongItem
        case .notReceived: .notReceived
        case .quality: .quality
        case .other: .other
        }
    }
}

extension CaseParty {
    init?(_ proto: Aftercare_Aftersales_V1_Party) {
        switch proto {
        case .buyer: self = .buyer
        case .seller: self = .seller
        case .platform: self = .platform
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    var proto: Aftercare_Aftersales_V1_Party {
        switch self {
        case .buyer: .buyer
        case .seller: .seller
        case .platform: .platform
        }
    }
}

extension EvidenceRecord.Kind {
    init?(_ proto: Aftercare_Aftersales_V1_Evidence.Kind) {
        switch proto {
        case .photo: self = .photo
        case .video: self = .video
        case .text: self = .text
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    var proto: Aftercare_Aftersales_V1_Evidence.Kind {
        switch self {
        case .photo: .photo
        case .video: .video
        case .text: .text
        }
    }
}

extension CaseFacts.Offer {
    init?(_ proto: Aftercare_Aftersales_V1_CounterOffer.Kind) {
        switch proto {
        case .amount: self = .amount
        case .returnRequired: self = .returnRequired
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    var proto: Aftercare_Aftersales_V1_CounterOffer.Kind {
        switch self {
        case .amount: .amount
        case .returnRequired: .returnRequired
        }
    }
}
