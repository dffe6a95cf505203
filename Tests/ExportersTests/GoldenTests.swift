import Exporters
import SnapshotTesting
import Testing

@Suite struct GoldenTests {
    @Test(arguments: ExportFormat.allCases)
    func thread(format: ExportFormat) throws {
        let output = try Fixtures.export(format)
        assertSnapshot(of: output, as: .lines, named: format.rawValue)
    }

    @Test(arguments: ExportFormat.allCases)
    func threadWithHistory(format: ExportFormat) throws {
        let output = try Fixtures.export(format, withHistory: true)
        assertSnapshot(of: output, as: .lines, named: format.rawValue)
    }

    @Test(arguments: ExportFormat.allCases)
    func singleFile(format: ExportFormat) throws {
        let output = try Fixtures.exportSingleFile(format)
        assertSnapshot(of: output, as: .lines, named: format.rawValue)
    }

    @Test(arguments: ExportFormat.allCases)
    func sameInputSameBytes(format: ExportFormat) throws {
        let first = try Fixtures.export(format, withHistory: true)
        let second = try Fixtures.export(format, withHistory: true)
        #expect(Array(first.utf8) == Array(second.utf8))
        #expect(!first.isEmpty)
    }
}
