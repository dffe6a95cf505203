/// The message kinds `type:` distinguishes; `system` is every kind other than text and html
/// (topic updates, participants added or removed, and kinds the service adds later).
public enum SearchMessageKind: String, Sendable, Hashable, CaseIterable {
    case text
    case html
    case system
}
