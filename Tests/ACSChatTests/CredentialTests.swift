import Foundation
import Synchronization
import Testing

@testable import ACSChat

@Suite struct CredentialTests {
    @Test func readsExpFromBase64URLAndStandardPayloads() throws {
        // This payload has characters that differ between the two alphabets ('?>' encode to "Pz4" / "-_" mix).
        let claims = #"{"n":"?>~?>~??>>","exp":1900000000}"#
        let standard = Data(claims.utf8).base64EncodedString()
        #expect(standard.contains("+") || standard.contains("/"), "the fixture must exercise the alphabet difference")
        for urlSafe in [true, false] {
            let expiry = try CommunicationTokenCredential.expiry(of: JWT.make(claims: claims, urlSafe: urlSafe))
            #expect(expiry == Date(timeIntervalSince1970: 1_900_000_000))
        }
        // Padding is accepted as well, and a fractional exp.
        let padded = "h." + Data(#"{"exp":1900000000.5}"#.utf8).base64EncodedString() + ".s"
        #expect(try CommunicationTokenCredential.expiry(of: padded) == Date(timeIntervalSince1970: 1_900_000_000.5))
    }

    @Test(arguments: [
        ("not-a-jwt", "not a JWT"),
        ("a.b", "not a JWT"),
        ("h.!!!!.s", "not base64"),
        (JWT.make(claims: #"{"skypeid":"acs:x"}"#), "no exp"),
        (JWT.make(claims: #"{"exp":"1900000000"}"#), "not a number"),
        (JWT.make(claims: #"{"exp":true}"#), "not a number"),
        (JWT.make(claims: #"{"exp":null}"#), "no exp"),
        (JWT.make(claims: #"[1,2]"#), "not a JSON object"),
    ])
    func staticTokenRejectsMalformedTokens(token: String, reason: String) {
        let error = #expect(throws: ChatServiceError.self) { try CommunicationTokenCredential(token: token) }
        #expect(error?.code == .credential)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
        #expect(error.map { "\($0)" }?.contains(token) == false)
    }

    @Test func expiredStaticTokenFailsClearly() async throws {
        let token = JWT.expiring(in: -60)
        let credential = try CommunicationTokenCredential(token: token)
        let error = await #expect(throws: ChatServiceError.self) { try await credential.token() }
        #expect(error?.code == .credential)
        #expect(error?.message.contains("expired") == true)
        #expect(error.map { "\($0)" }?.contains(token) == false)
    }

    @Test func staticTokenIsReturnedUntilExpiry() async throws {
        let token = JWT.expiring(in: 30)  // near expiry, but a static token has nothing better to offer
        #expect(try await CommunicationTokenCredential(token: token).token() == token)
    }

    @Test(arguments: [(false, 300.0, false), (false, 60.0, true), (true, 300.0, true), (true, 900.0, false)])
    func refresherRunsInsideTheMargin(proactive: Bool, remaining: TimeInterval, expectRefresh: Bool) async throws {
        let calls = Mutex(0)
        let fresh = JWT.expiring(in: 3600, marker: "fresh")
        let initial = JWT.expiring(in: remaining, marker: "initial")
        let credential = CommunicationTokenCredential(initialToken: initial, refreshProactively: proactive) {
            calls.withLock { $0 += 1 }
            return fresh
        }
        let token = try await credential.token()
        #expect(token == (expectRefresh ? fresh : initial))
        #expect(calls.withLock { $0 } == (expectRefresh ? 1 : 0))
    }

    @Test func refresherWithoutInitialTokenAndBadRefreshes() async throws {
        let credential = CommunicationTokenCredential { JWT.expiring(in: 3600, marker: "r") }
        #expect(try await credential.token().isEmpty == false)
        #expect(try await credential.refreshAfterUnauthorized())

        let expired = CommunicationTokenCredential { JWT.expiring(in: -10) }
        let error = await #expect(throws: ChatServiceError.self) { try await expired.token() }
        #expect(error?.code == .credential)

        struct Boom: Error {}
        let failing = CommunicationTokenCredential { throw Boom() }
        let failure = await #expect(throws: ChatServiceError.self) { try await failing.token() }
        #expect(failure?.code == .credential)
        #expect(failure?.underlying is Boom)
    }

    @Test func subjectComesFromSkypeID() {
        #expect(
            CommunicationTokenCredential.subject(ofToken: JWT.expiring(in: 60, marker: "res_user")) == "8:acs:res_user"
        )
        #expect(CommunicationTokenCredential.subject(ofToken: JWT.make(claims: #"{"exp":1}"#)) == nil)
        #expect(CommunicationTokenCredential.subject(ofToken: "garbage") == nil)
    }

    @Test func staticCredentialCannotRemint() async throws {
        #expect(
            try await CommunicationTokenCredential(token: JWT.expiring(in: 600)).refreshAfterUnauthorized() == false
        )
    }
}

@Suite struct IdentityAuthTests {
    /// The vector from issue 2.
    @Test func hmacVector() throws {
        let signer = try HMACRequestSigner(accessKey: "Y2hhdC1hcmNoaXZlLXRlc3Qta2V5LTAxMjM0NTY3ODk=")
        let signed = signer.sign(
            method: "post",
            pathAndQuery: "/identities/8%3Aacs%3Aresource_user1/:issueAccessToken?api-version=2023-10-01",
            host: "localhost:8443",
            date: "Sun, 29 Nov 2026 20:08:17 GMT",
            body: Array(#"{"scopes": ["chat"], "expiresInMinutes": 60}"#.utf8)
        )
        #expect(signed.contentHash == "a8BIM8GkB4D83HsnAPLrJzI/DLagTSlYTNoA8jGCDvc=")
        #expect(
            signed.authorization
                == "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=YzcnUl3rhohAcSi2iQc4ljRLAsCUt4rrD12dmGaljPA="
        )
        #expect(
            signer.sign(method: "POST", pathAndQuery: "/", host: "h", date: "d", body: []).contentHash
                == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        )
        #expect(!"\(signer)".contains("Y2hh"))
    }

    @Test(arguments: [
        ("endpoint=https://res.communication.azure.com/;accesskey=a2V5", "https://res.communication.azure.com"),
        ("Endpoint=http://127.0.0.1:8080/ ; AccessKey=a2V5", "http://127.0.0.1:8080"),
        ("ENDPOINT=res.communication.azure.com;ACCESSKEY=a2V5;", "https://res.communication.azure.com"),
        ("accesskey=a2V5;endpoint=https://h:8443/prefix/", "https://h:8443/prefix"),
    ])
    func parsesConnectionStrings(text: String, endpoint: String) throws {
        let parsed = try ConnectionString(text)
        #expect(parsed.endpoint.absoluteString == endpoint)
        #expect(parsed.accessKey == "a2V5")
    }

    @Test func accessKeySplitsOnTheFirstEquals() throws {
        #expect(try ConnectionString("endpoint=https://h/;accesskey=ab==").accessKey == "ab==")
    }

    @Test(arguments: [
        ("", "no endpoint"),
        ("accesskey=c2VjcmV0LWtleQ==", "no endpoint"),
        ("endpoint=https://h/", "no accesskey"),
        ("endpoint=https://h/;c2VjcmV0LWtleQ", "without '='"),
        ("endpoint=ftp://h/;accesskey=c2VjcmV0LWtleQ==", "not an http(s) URL"),
        ("endpoint=https://h/;accesskey=not base64 c2VjcmV0LWtleQ!", "not valid base64"),
    ])
    func badConnectionStringsFailWithoutEchoingTheKey(text: String, reason: String) {
        let error = #expect(throws: ChatServiceError.self) { try CommunicationIdentityClient(connectionString: text) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
        #expect(error.map { "\($0)" }?.contains("c2VjcmV0LWtleQ") == false)
    }
}
