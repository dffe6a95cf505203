import ACSChat
import ArchiveSync
import Foundation

/// The clients of one sync run, one reader per identity over a single connection pool; closed when the run ends.
struct SyncConnection {
    var readers: [ChatReader]
    var identity: CommunicationIdentityClient?

    /// Readers for `users`, each minting its token through the Identity API (re-minted on 401).
    init(connectionString: String, users: [String], options: ChatClientOptions) throws {
        let identity = try CommunicationIdentityClient(connectionString: connectionString, options: options)
        var readers: [ChatReader] = []
        for rawID in users {
            let user = CommunicationIdentifier(rawID: rawID)
            let credential = CommunicationTokenCredential(refreshProactively: true) {
                try await identity.getToken(for: user, scopes: ["chat"], expiresIn: nil).token
            }
            readers.append(
                ChatReader(
                    client: try Self.client(sharingWith: readers, endpoint: identity.endpoint, credential, options),
                    identityRawID: rawID
                )
            )
        }
        self.readers = readers
        self.identity = identity
    }

    /// Readers for static user tokens; the identity behind each is read from its `skypeid` claim.
    init(endpoint: URL, tokens: [String], options: ChatClientOptions) throws {
        var readers: [ChatReader] = []
        for (index, jwt) in tokens.enumerated() {
            let credential: CommunicationTokenCredential
            do {
                credential = try CommunicationTokenCredential(token: jwt)
            } catch {
                throw CLIError("token \(index + 1) is not usable: \(error)")
            }
            readers.append(
                ChatReader(
                    client: try Self.client(sharingWith: readers, endpoint: endpoint, credential, options),
                    identityRawID: CommunicationTokenCredential.subject(ofToken: jwt)
                )
            )
        }
        self.readers = readers
        identity = nil
    }

    /// One connection pool (and TLS context) for every identity: the first client owns it, the others borrow it.
    private static func client(
        sharingWith readers: [ChatReader],
        endpoint: URL,
        _ credential: CommunicationTokenCredential,
        _ options: ChatClientOptions
    ) throws -> ChatClient {
        try readers.first?.client.sharingConnections(credential: credential)
            ?? ChatClient(endpoint: endpoint, credential: credential, options: options)
    }

    func shutdown() async {
        // Borrowing clients first; the first reader owns the pool.
        for reader in readers.reversed() { try? await reader.client.shutdown() }
        try? await identity?.shutdown()
    }
}
