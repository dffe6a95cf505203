import ChatEmulator
import Foundation
import NIOHTTP1
import Testing

@Suite(.timeLimit(.minutes(1)))
struct IdentityTests {
    @Test func createUserAndTokenWithValidSignature() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let created = try await client.signed(.POST, "/identities?api-version=2023-10-01")
                #expect(created.status == 201)
                let identity = try #require(created.json["identity"] as? [String: Any])
                let id = try #require(identity["id"] as? String)
                #expect(id.hasPrefix("8:acs:"))
                #expect(created.json["accessToken"] == nil)

                let withToken = try await client.signed(
                    .POST,
                    "/identities?api-version=2023-10-01",
                    json: #"{"createTokenWithScopes":["chat"],"expiresInMinutes":60}"#
                )
                #expect(withToken.status == 201)
                let accessToken = try #require(withToken.json["accessToken"] as? [String: Any])
                let token = try #require(accessToken["token"] as? String)
                #expect(accessToken["expiresOn"] is String)
                let payload = String(token.split(separator: ".")[1])
                #expect(!payload.contains("-") && !payload.contains("_"))
                let claims = try #require(
                    try JSONSerialization.jsonObject(
                        with: Data(base64Encoded: payload + String(repeating: "=", count: (4 - payload.count % 4) % 4))!
                    ) as? [String: Any]
                )
                #expect(claims["exp"] is Int)
                #expect(claims["iat"] is Int)
                #expect(claims["acsScope"] as? String == "chat")
                #expect(claims["resourceId"] is String)
                #expect(claims["scp"] is Int)
                #expect((claims["skypeid"] as? String)?.hasPrefix("acs:") == true)
            }
        }
    }

    @Test func issueRevokeAndDelete() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let user = await emulator.createUser()
                let encoded = user.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let issued = try await client.signed(
                    .POST,
                    "/identities/\(encoded)/:issueAccessToken?api-version=2023-10-01",
                    json: #"{"scopes":["chat"],"expiresInMinutes":90}"#
                )
                #expect(issued.status == 200)
                let token = try #require(issued.json["token"] as? String)
                #expect(try await client.send(.GET, "/chat/threads?api-version=2024-03-07", token: token).status == 200)

                let revoked = try await client.signed(
                    .POST,
                    "/identities/\(encoded)/:revokeAccessTokens?api-version=2023-10-01"
                )
                #expect(revoked.status == 204)
                #expect(try await client.send(.GET, "/chat/threads?api-version=2024-03-07", token: token).status == 401)
                let fresh = try await emulator.issueToken(for: user)
                #expect(try await client.send(.GET, "/chat/threads?api-version=2024-03-07", token: fresh).status == 200)

                let deleted = try await client.signed(.DELETE, "/identities/\(encoded)?api-version=2023-10-01")
                #expect(deleted.status == 204)
                #expect(try await client.send(.GET, "/chat/threads?api-version=2024-03-07", token: fresh).status == 401)
                let again = try await client.signed(.DELETE, "/identities/\(encoded)?api-version=2023-10-01")
                #expect(again.status == 404)
            }
        }
    }

    @Test func badTokenLifetimeIsRejected() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let user = await emulator.createUser()
                let encoded = user.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let reply = try await client.signed(
                    .POST,
                    "/identities/\(encoded)/:issueAccessToken?api-version=2023-10-01",
                    json: #"{"scopes":["chat"],"expiresInMinutes":5}"#
                )
                #expect(reply.status == 400)
                #expect((reply.json["error"] as? [String: Any])?["code"] as? String == "BadRequest")
            }
        }
    }

    @Test func trailingSlashInSignedHostIsAccepted() async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let reply = try await client.signed(
                    .POST,
                    "/identities?api-version=2023-10-01",
                    signedHost: "localhost:\(emulator.port)/"
                )
                #expect(reply.status == 201)
            }
        }
    }

    @Test(arguments: ["wrong-key", "stale-date", "wrong-host", "unsigned"])
    func badSignaturesAreRejected(kind: String) async throws {
        try await ChatEmulator.withRunning { emulator in
            try await EmulatorClient.with(emulator) { client in
                let path = "/identities?api-version=2023-10-01"
                let reply: EmulatorClient.Reply
                switch kind {
                case "wrong-key":
                    reply = try await client.signed(
                        .POST,
                        path,
                        key: Data(repeating: 7, count: 32).base64EncodedString()
                    )
                case "stale-date":
                    reply = try await client.signed(.POST, path, date: Date().addingTimeInterval(-16 * 60))
                case "wrong-host":
                    reply = try await client.signed(.POST, path, signedHost: "example.com")
                default:
                    reply = try await client.send(.POST, path)
                }
                #expect(reply.status == 401)
                #expect(reply.headers["WWW-Authenticate"].isEmpty)
            }
        }
    }
}
