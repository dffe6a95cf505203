import Foundation
import Testing

@testable import ACSChat

@Suite struct DateFormatTests {
    @Test(arguments: [
        ("2023-12-13T11:38:55Z", 1_702_467_535.0),
        ("2020-06-25T17:44:37.6830000Z", 1_593_107_077.683),
        ("2023-12-14T11:38:53.6940927+00:00", 1_702_553_933.6940927),
        ("2024-01-01T12:30:00.000Z", 1_704_112_200.0),
        ("2024-01-01T14:30:00+02:00", 1_704_112_200.0),
        ("2024-01-01T07:00:00-0530", 1_704_112_200.0),
        ("2024-01-01T12:30:00", 1_704_112_200.0),
        ("1970-01-01T00:00:00Z", 0.0),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
    ])
    func parsesServiceTimestamps(text: String, epoch: Double) throws {
        let date = try #require(ChatDateFormat.parse(text))
        #expect(abs(date.timeIntervalSince1970 - epoch) < 0.000_5)
    }

    @Test(arguments: [
        "", "2024-01-01 12:30:00Z", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-01T12:30:00.Z",
        "2024-01-01T12:30:00Zjunk", "24-01-01T12:30:00Z", "2024-01-01T25:00:00Z", "2024-01-01T12:30:00+0",
    ])
    func rejectsMalformedTimestamps(text: String) {
        #expect(ChatDateFormat.parse(text) == nil)
    }

    @Test func formatsWithMillisecondsInUTC() {
        #expect(ChatDateFormat.format(Date(timeIntervalSince1970: 1_704_112_200)) == "2024-01-01T12:30:00.000Z")
        #expect(ChatDateFormat.format(Date(timeIntervalSince1970: 0.5)) == "1970-01-01T00:00:00.500Z")
        #expect(ChatDateFormat.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
    }

    @Test func formatParseRoundTrip() throws {
        for seconds in stride(from: -86_400.0 * 800, to: 86_400.0 * 30_000, by: 86_400.0 * 97.3) {
            let date = Date(timeIntervalSince1970: (seconds * 1000).rounded() / 1000)
            let parsed = try #require(ChatDateFormat.parse(ChatDateFormat.format(date)))
            #expect(abs(parsed.timeIntervalSince(date)) < 0.001)
        }
    }

    @Test func httpDates() throws {
        let date = Date(timeIntervalSince1970: 1_795_982_897)  // the HMAC vector's x-ms-date
        #expect(ChatDateFormat.httpDate(date) == "Sun, 29 Nov 2026 20:08:17 GMT")
        #expect(ChatDateFormat.parseHTTPDate("Sun, 29 Nov 2026 20:08:17 GMT") == date)
        #expect(ChatDateFormat.parseHTTPDate("29 Nov 2026") == nil)
    }
}

@Suite struct IdentifierTests {
    @Test(arguments: [
        ("8:acs:resource_user-1", CommunicationIdentifier.communicationUser(id: "8:acs:resource_user-1")),
        ("8:spool:resource_user-1", .communicationUser(id: "8:spool:resource_user-1")),
        ("8:dod-acs:resource_user", .communicationUser(id: "8:dod-acs:resource_user")),
        ("8:gcch-acs:resource_user", .communicationUser(id: "8:gcch-acs:resource_user")),
        ("4:+14255550123", .phoneNumber(value: "+14255550123")),
        ("8:orgid:aad-oid", .microsoftTeamsUser(userID: "aad-oid", isAnonymous: false, cloud: .public)),
        ("8:dod:aad-oid", .microsoftTeamsUser(userID: "aad-oid", isAnonymous: false, cloud: .dod)),
        ("8:gcch:aad-oid", .microsoftTeamsUser(userID: "aad-oid", isAnonymous: false, cloud: .gcch)),
        ("8:teamsvisitor:visitor", .microsoftTeamsUser(userID: "visitor", isAnonymous: true, cloud: .public)),
        ("28:orgid:app-id", .microsoftTeamsApp(appID: "app-id", cloud: .public)),
        ("28:dod:app-id", .microsoftTeamsApp(appID: "app-id", cloud: .dod)),
        ("28:gcch:app-id", .microsoftTeamsApp(appID: "app-id", cloud: .gcch)),
        ("28:bot-id", .unknown(rawID: "28:bot-id")),
        ("28:gcch-global:bot", .unknown(rawID: "28:gcch-global:bot")),
        ("8:acs:", .unknown(rawID: "8:acs:")),
        ("something-else", .unknown(rawID: "something-else")),
        ("", .unknown(rawID: "")),
    ])
    func rawIDRoundTrip(rawID: String, expected: CommunicationIdentifier) {
        let identifier = CommunicationIdentifier(rawID: rawID)
        #expect(identifier == expected)
        #expect(identifier.rawID == rawID)
    }

    @Test(arguments: [
        CommunicationIdentifier.communicationUser(id: "8:acs:r_u"), .phoneNumber(value: "+14255550123"),
        .microsoftTeamsUser(userID: "oid", isAnonymous: false, cloud: .gcch),
        .microsoftTeamsApp(appID: "app", cloud: .dod), .unknown(rawID: "28:bot"),
    ])
    func wireRoundTripSendsRawIDAndOneObjectWithoutKind(identifier: CommunicationIdentifier) throws {
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(try ServiceTransport.encode(identifier.wire))) as? [String: Any]
        )
        #expect(json["kind"] == nil)
        #expect(json["rawId"] as? String == identifier.rawID)
        let objects = ["communicationUser", "phoneNumber", "microsoftTeamsUser", "microsoftTeamsApp"].filter {
            json[$0] != nil
        }
        #expect(objects.count == (identifier == .unknown(rawID: "28:bot") ? 0 : 1))
        let decoded = try WireIdentifier(jsonBytes: try ServiceTransport.encode(identifier.wire))
        #expect(try CommunicationIdentifier(wire: decoded) == identifier)
    }

    @Test func decodesSubObjectsKindsAndDefaults() throws {
        func decode(_ json: String) throws -> CommunicationIdentifier {
            try CommunicationIdentifier(wire: WireIdentifier(jsonBytes: Array(json.utf8)))
        }
        #expect(
            try decode(#"{"kind":"microsoftTeamsUser","rawId":"8:orgid:x","microsoftTeamsUser":{"userId":"x"}}"#)
                == .microsoftTeamsUser(userID: "x", isAnonymous: false, cloud: .public)
        )
        #expect(
            try decode(#"{"microsoftTeamsUser":{"userId":"x","isAnonymous":false,"cloud":"PUBLIC"}}"#)
                == .microsoftTeamsUser(userID: "x")
        )
        #expect(try decode(#"{"rawId":"8:acs:r_u"}"#) == .communicationUser(id: "8:acs:r_u"))
        // A 2025 identifier kind this client does not model keeps its raw id.
        #expect(
            try decode(#"{"kind":"teamsExtensionUser","rawId":"8:acs:r_u_t","teamsExtensionUser":{"userId":"u"}}"#)
                == .communicationUser(id: "8:acs:r_u_t")
        )
        #expect(throws: WireMappingError.self) { try decode("{}") }
    }
}

@Suite struct EnumTests {
    @Test func unknownValuesDecodeInsteadOfFailing() {
        #expect(ChatMessageType(rawValue: "participantAdded") == .participantAdded)
        #expect(ChatMessageType(rawValue: "richText/html") == .unknown("richText/html"))
        #expect(ChatMessageType(rawValue: "richText/html").rawValue == "richText/html")
        #expect(ChatAttachmentType(rawValue: "teamsInlineImage") == .unknown("teamsInlineImage"))
        #expect(ChatRetentionPolicy(wire: .init(kind: "basedOnLastMessage")) == .unknown("basedOnLastMessage"))
        #expect(
            ChatRetentionPolicy(wire: .init(kind: "threadCreationDate", deleteThreadAfterDays: 30))
                == .threadCreationDate(deleteThreadAfterDays: 30)
        )
    }
}
