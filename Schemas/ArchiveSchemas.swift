/// The archive's numbered SQL migrations, embedded in the binary (`Migrations/NNNN_name.sql`).
///
/// SwiftPM's `embedInCode` flattens each file into a `PackageResources` byte array named after the file
/// (`0001_initial.sql` becomes `_001_initial_sql`), so every new migration file needs one line in `all`.
public enum ArchiveMigrations {
    /// Every migration, by ascending version. Version N is the schema after applying 1 … N in order.
    public static let all: [(version: Int, sql: String)] = [
        (1, String(decoding: PackageResources._001_initial_sql, as: UTF8.self)),
        (2, String(decoding: PackageResources._002_drop_messages_sender_sql, as: UTF8.self)),
        (3, String(decoding: PackageResources._003_search_facets_sql, as: UTF8.self)),
        (4, String(decoding: PackageResources._004_drop_ordering_indexes_sql, as: UTF8.self)),
    ]

    /// The schema version this build creates and understands.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
