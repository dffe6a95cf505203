/// Who a participant, sender or initiator is: an ACS user, a phone number, a Teams user or app, or something newer.
///
/// Every identifier has a raw id (`8:acs:…`, `4:+14255550123`, `8:orgid:…`, `28:orgid:…`), and
/// `CommunicationIdentifier(rawID:)` followed by `rawID` gives back the same string. Identifiers the client does not
/// know become `.unknown(rawID:)`, so values the service adds later still round-trip.
/// See https://learn.microsoft.com/azure/communication-services/concepts/identifiers
public enum CommunicationIdentifier: Sendable, Hashable {
    /// A user created by an ACS resource (`8:acs:…`, `8:spool:…`, `8:dod-acs:…`, `8:gcch-acs:…`);
    /// `id` is the whole raw id.
    case communicationUser(id: String)
    /// A phone number in E.164 form, e.g. `+14255550123` (raw id `4:+14255550123`).
    case phoneNumber(value: String)
    /// A Teams user (`8:orgid:`, `8:dod:`, `8:gcch:`) or an anonymous Teams visitor (`8:teamsvisitor:`).
    case microsoftTeamsUser(userID: String, isAnonymous: Bool = false, cloud: CommunicationCloudEnvironment = .public)
    /// A Teams application or bot (`28:orgid:`, `28:dod:`, `28:gcch:`).
    case microsoftTeamsApp(appID: String, cloud: CommunicationCloudEnvironment = .public)
    /// Any other raw id, kept verbatim.
    case unknown(rawID: String)

    /// Classifies a raw id by its prefix.
    public init(rawID: String) {
        if rawID.hasPrefix("4:") {
            self = .phoneNumber(value: String(rawID.dropFirst(2)))
            return
        }
        let parts = rawID.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[2].isEmpty else {
            self = .unknown(rawID: rawID)
            return
        }
        let suffix = String(parts[2])
        switch (parts[0], parts[1]) {
        case ("8", "acs"), ("8", "spool"), ("8", "dod-acs"), ("8", "gcch-acs"):
            self = .communicationUser(id: rawID)
        case ("8", "teamsvisitor"):
            self = .microsoftTeamsUser(userID: suffix, isAnonymous: true, cloud: .public)
        case ("8", "orgid"):
            self = .microsoftTeamsUser(userID: suffix, isAnonymous: false, cloud: .public)
        case ("8", "dod"):
            self = .microsoftTeamsUser(userID: suffix, isAnonymous: false, cloud: .dod)
        case ("8", "gcch"):
            self = .microsoftTeamsUser(userID: suffix, isAnonymous: false, cloud: .gcch)
        case ("28", "orgid"):
            self = .microsoftTeamsApp(appID: suffix, cloud: .public)
        case ("28", "dod"):
            self = .microsoftTeamsApp(appID: suffix, cloud: .dod)
        case ("28", "gcch"):
            self = .microsoftTeamsApp(appID: suffix, cloud: .gcch)
        default:
            self = .unknown(rawID: rawID)
        }
    }

    /// The identifier's raw id, as the service writes it in `rawId`.
    public var rawID: String {
        switch self {
        case .communicationUser(let id):
            return id
        case .phoneNumber(let value):
            return "4:" + value
        case .microsoftTeamsUser(let userID, let isAnonymous, let cloud):
            if isAnonymous { return "8:teamsvisitor:" + userID }
            switch cloud {
            case .public: return "8:orgid:" + userID
            case .dod: return "8:dod:" + userID
            case .gcch: return "8:gcch:" + userID
            }
        case .microsoftTeamsApp(let appID, let cloud):
            switch cloud {
            case .public: return "28:orgid:" + appID
            case .dod: return "28:dod:" + appID
            case .gcch: return "28:gcch:" + appID
            }
        case .unknown(let rawID):
            return rawID
        }
    }
}

extension CommunicationIdentifier: CustomStringConvertible {
    public var description: String { rawID }
}

/// The Microsoft cloud a Teams identity lives in.
public enum CommunicationCloudEnvironment: String, Sendable, Hashable, CaseIterable {
    case `public`, dod, gcch

    /// Reads the wire value case-insensitively (the spec says `public`; Python sends `PUBLIC`).
    init?(wireValue: String) {
        self.init(rawValue: wireValue.lowercased())
    }
}
