/// The emulator's whole state: users, tokens' revocation generations, threads, messages, receipts.
///
/// One actor owns it; every REST operation is one actor call that validates, mutates and renders its JSON, so
/// requests are linearisable. Seeding builds a ``Workspace`` value outside and hands it in.
actor EmulatorState {
    var workspace: Workspace
    let credentials: Credentials
    var idempotentCreates: [String: Int32] = [:]
    private var corruption: [String: ResponseCorruption] = [:]
    private var verifiedTokens: [String: Credentials.TokenClaims] = [:]
    var generator = SystemRandomNumberGenerator()

    init(workspace: Workspace, credentials: Credentials) {
        self.workspace = workspace
        self.credentials = credentials
    }

    // MARK: Control (in-process API)

    func createUser(displayName: String?) -> String {
        let rawID = Identifiers.user(resourceID: workspace.resourceID, using: &generator)
        workspace.addUser(rawID: rawID, displayName: displayName)
        return rawID
    }

    func issueToken(
        rawID: String,
        expiresAtMs: Int64?,
        scopes: [String] = ["chat"]
    ) throws(APIError) -> (
        token: String, expiresMs: Int64
    ) {
        guard let index = workspace.userIndex[rawID], !workspace.users[Int(index)].isDeleted else {
            throw .notFound("Identity not found.")
        }
        let now = Timestamp.now()
        let expires = expiresAtMs ?? now + 24 * 3_600_000
        // JWT times are whole seconds; round up so a token never expires before it was asked to.
        let token = credentials.mintToken(
            rawID: rawID,
            resourceID: workspace.resourceID,
            scopes: scopes,
            issuedAt: now / 1000,
            expiresAt: (expires + 999) / 1000,
            generation: workspace.users[Int(index)].tokenGeneration
        )
        return (token, expires)
    }

    func revokeTokens(rawID: String) throws(APIError) {
        guard let index = workspace.userIndex[rawID], !workspace.users[Int(index)].isDeleted else {
            throw .notFound("Identity not found.")
        }
        workspace.users[Int(index)].tokenGeneration &+= 1
    }

    func deleteUser(rawID: String) throws(APIError) {
        guard let index = workspace.userIndex[rawID], !workspace.users[Int(index)].isDeleted else {
            throw .notFound("Identity not found.")
        }
        workspace.users[Int(index)].isDeleted = true
        workspace.users[Int(index)].tokenGeneration &+= 1
    }

    func setCorruption(threadID: String, mode: ResponseCorruption?) {
        corruption[threadID] = mode
    }

    func corruption(threadID: String) -> ResponseCorruption? {
        corruption.isEmpty ? nil : corruption[threadID]
    }

    func messageCount(threadID: String) -> Int? {
        workspace.threadIndex[threadID].map { workspace.threads[Int($0)].messages.count }
    }

    func totalMessageCount() -> Int {
        workspace.threads.reduce(0) { $0 + $1.messages.count }
    }

    func threadIDs() -> [String] {
        workspace.threads.map(\.id)
    }

    func participantIDs(threadID: String) -> [String]? {
        workspace.threadIndex[threadID].map { index in
            workspace.threads[Int(index)].participants.map { workspace.users[Int($0.user)].rawID }
        }
    }

    // MARK: Authentication

    /// The user index behind a bearer token, or nil when it is not ours, expired, revoked or its user is gone.
    func authenticate(token: String) -> Int32? {
        guard let claims = verifiedClaims(of: token),
            let index = workspace.userIndex["8:" + claims.skypeid]
        else { return nil }
        let user = workspace.users[Int(index)]
        guard !user.isDeleted, user.tokenGeneration == claims.gen, claims.exp * 1000 > Timestamp.now() else {
            return nil
        }
        return index
    }

    /// Claims depend only on the token and the key, so they are kept per token (a client sends the same token
    /// on every request; checking the signature each time was a tenth of the emulator's work). Expiry, user
    /// deletion and revocation are checked by the caller on every request.
    private func verifiedClaims(of token: String) -> Credentials.TokenClaims? {
        if let known = verifiedTokens[token] { return known }
        guard let claims = credentials.verifiedClaims(of: token) else { return nil }
        if verifiedTokens.count >= 4096 { verifiedTokens.removeAll(keepingCapacity: true) }
        verifiedTokens[token] = claims
        return claims
    }

    // MARK: Identity REST

    func createIdentity(_ request: CreateIdentityWire?) throws(APIError) -> APIReply {
        var scopes: [String] = []
        if let requested = request?.createTokenWithScopes, !requested.isEmpty {
            scopes = try Self.validScopes(requested)
        }
        let minutes = try Self.validMinutes(request?.expiresInMinutes)
        let rawID = createUser(displayName: nil)
        var json = JSONWriter()
        json.beginObject()
        json.key("identity")
        json.beginObject()
        json.field("id", rawID)
        json.endObject()
        if !scopes.isEmpty {
            let issued = try issueToken(
                rawID: rawID,
                expiresAtMs: Timestamp.now() + Int64(minutes) * 60_000,
                scopes: scopes
            )
            json.key("accessToken")
            json.beginObject()
            json.field("token", issued.token)
            json.field("expiresOn", timestamp: issued.expiresMs)
            json.endObject()
        }
        json.endObject()
        return APIReply(status: 201, body: json.bytes)
    }

    func issueAccessToken(rawID: String, _ request: IssueTokenWire) throws(APIError) -> APIReply {
        let scopes = try Self.validScopes(request.scopes)
        guard !scopes.isEmpty else { throw .badRequest("At least one scope is required.") }
        let minutes = try Self.validMinutes(request.expiresInMinutes)
        let issued = try issueToken(
            rawID: rawID,
            expiresAtMs: Timestamp.now() + Int64(minutes) * 60_000,
            scopes: scopes
        )
        var json = JSONWriter()
        json.beginObject()
        json.field("token", issued.token)
        json.field("expiresOn", timestamp: issued.expiresMs)
        json.endObject()
        return APIReply(status: 200, body: json.bytes)
    }

    private static func validScopes(_ scopes: [String]) throws(APIError) -> [String] {
        let known: Set<String> = ["chat", "voip", "chat.join", "chat.join.limited", "voip.join"]
        for scope in scopes where !known.contains(scope) {
            throw .badRequest("Unknown scope.")
        }
        return scopes
    }

    private static func validMinutes(_ minutes: Int?) throws(APIError) -> Int {
        guard let minutes else { return 1440 }
        guard (60...1440).contains(minutes) else {
            throw .badRequest("expiresInMinutes must be between 60 and 1440.")
        }
        return minutes
    }
}
