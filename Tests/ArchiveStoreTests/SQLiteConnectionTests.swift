import Foundation
import Testing

@testable import ArchiveStore

@Suite struct SQLiteConnectionTests {
    /// SQL built at run time has a new address every time: the address-keyed statement table must not grow with
    /// every call (a bulk sync makes millions), while every call still gets the right statement.
    @Test func runTimeSQLDoesNotGrowTheStatementTables() throws {
        let directory = try TemporaryDirectory()
        let connection = try SQLiteConnection(path: directory.path("plain.sqlite"), readOnly: false)
        for number in 0..<5_000 {
            let sql = "SELECT ? + " + String(number % 3)
            let sum = try connection.withStatement(sql) { statement throws(ArchiveStoreError) in
                statement.bind(1, Int64(number))
                _ = try statement.step()
                return statement.int64(0)
            }
            #expect(sum == Int64(number + number % 3))
        }
        #expect(connection.cacheByAddress.count <= 128)
    }
}
