/// The kind of a communication identity, derived from its raw id.
///
/// Raw id prefixes follow the ACS common model: `8:acs:`, `8:spool:` (communication users), `4:` (phone numbers),
/// `8:orgid:`, `8:dod:`, `8:gcch:`, `8:teamsvisitor:` (Teams users), `28:` (Teams apps and bots).
public enum IdentityKind: Sendable, Hashable {
    case communicationUser
    case phoneNumber
    case microsoftTeamsUser
    case microsoftTeamsApp
    case unknown

    /// The stable name stored in the archive and written to exports.
    public var name: String {
        switch self {
        case .communicationUser: "communicationUser"
        case .phoneNumber: "phoneNumber"
        case .microsoftTeamsUser: "microsoftTeamsUser"
        case .microsoftTeamsApp: "microsoftTeamsApp"
        case .unknown: "unknown"
        }
    }

    public init(name: String) {
        switch name {
        case "communicationUser": self = .communicationUser
        case "phoneNumber": self = .phoneNumber
        case "microsoftTeamsUser": self = .microsoftTeamsUser
        case "microsoftTeamsApp": self = .microsoftTeamsApp
        default: self = .unknown
        }
    }

    /// Classifies a raw id by its prefix.
    public init(rawID: String) {
        if rawID.hasPrefix("8:acs:") || rawID.hasPrefix("8:spool:") {
            self = .communicationUser
        } else if rawID.hasPrefix("4:") {
            self = .phoneNumber
        } else if rawID.hasPrefix("8:orgid:") || rawID.hasPrefix("8:dod:") || rawID.hasPrefix("8:gcch:")
            || rawID.hasPrefix("8:teamsvisitor:")
        {
            self = .microsoftTeamsUser
        } else if rawID.hasPrefix("28:") {
            self = .microsoftTeamsApp
        } else {
            self = .unknown
        }
    }
}

/// A person or app as the archive knows it: its raw id and the last display name seen for it.
public struct ArchivedIdentity: Sendable, Hashable {
    public var rawID: String
    public var kind: IdentityKind
    public var displayName: String?

    public init(rawID: String, kind: IdentityKind? = nil, displayName: String? = nil) {
        self.rawID = rawID
        self.kind = kind ?? IdentityKind(rawID: rawID)
        self.displayName = displayName
    }
}
