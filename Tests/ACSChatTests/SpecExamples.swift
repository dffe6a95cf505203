import Foundation
import Testing

/// Builds example bodies from a Swagger spec in `../shared/specs`, using each property's `example` where the spec
/// gives one. (The specs' `x-ms-examples` point at example files that are not copied, so the bodies are synthesized
/// from the schemas the same way the examples are written: every field present, `example` values where given.)
struct SpecExamples {
    let fileName: String
    private let documents: [String: [String: Any]]

    init(_ fileName: String) throws {
        self.fileName = fileName
        var documents = [fileName: try SpecFiles.load(fileName)]
        for name in ["common-2023-11-15.json", "common-2025-06-30.json"] {
            documents[name] = try SpecFiles.load(name)
        }
        self.documents = documents
    }

    /// The success status and an example body for `method path`, e.g. `("post", "/chat/threads")`.
    func response(_ method: String, _ path: String) throws -> (status: Int, body: Any?) {
        let paths = try #require(documents[fileName]?["paths"] as? [String: Any])
        let operation = try #require((paths[path] as? [String: Any])?[method] as? [String: Any], "\(method) \(path)")
        let responses = try #require(operation["responses"] as? [String: Any])
        let (code, response) = try #require(
            responses.filter { Int($0.key).map { (200..<300).contains($0) } ?? false }.min { $0.key < $1.key }
        )
        let schema = (response as? [String: Any])?["schema"] as? [String: Any]
        return (try #require(Int(code)), schema.map { instance($0, document: fileName, depth: 0) ?? [:] })
    }

    /// Every `method path` the spec defines.
    var operations: [String] {
        let paths = documents[fileName]?["paths"] as? [String: [String: Any]] ?? [:]
        return paths.flatMap { path, methods in methods.keys.filter { $0 != "parameters" }.map { "\($0) \(path)" } }
    }

    private func resolve(
        _ ref: String,
        from document: String
    ) -> (name: String, schema: [String: Any], document: String)? {
        let parts = ref.components(separatedBy: "#/definitions/")
        guard parts.count == 2 else { return nil }
        var target = document
        if !parts[0].isEmpty {
            // "../../../Common/stable/2023-11-15/common.json" -> "common-2023-11-15.json"
            let components = parts[0].split(separator: "/")
            guard components.count >= 2 else { return nil }
            target = "common-\(components[components.count - 2]).json"
        }
        guard let definitions = documents[target]?["definitions"] as? [String: Any],
            let schema = definitions[parts[1]] as? [String: Any]
        else { return nil }
        return (parts[1], schema, target)
    }

    private func instance(_ schema: [String: Any], document: String, depth: Int, name: String? = nil) -> Any? {
        guard depth < 14 else { return nil }
        if let example = schema["example"] { return example }
        if let ref = schema["$ref"] as? String, let (refName, resolved, target) = resolve(ref, from: document) {
            if refName == "CommunicationIdentifierModel" {
                // "Apart from kind and rawId, at most one further property may be set."
                let id = "8:acs:spec-resource_\(depth)"
                return ["kind": "communicationUser", "rawId": id, "communicationUser": ["id": id]]
            }
            if let discriminator = resolved["discriminator"] as? String,
                let (_, variantSchema, variantDocument, value) = variant(of: refName, in: target)
            {
                var object =
                    (instance(variantSchema, document: variantDocument, depth: depth + 1) as? [String: Any]) ?? [:]
                object[discriminator] = value
                return object
            }
            return instance(resolved, document: target, depth: depth + 1, name: refName)
        }
        if let enumValues = schema["enum"] as? [Any], let first = enumValues.first { return first }
        var properties = schema["properties"] as? [String: Any] ?? [:]
        for part in schema["allOf"] as? [[String: Any]] ?? [] {
            if let ref = part["$ref"] as? String, let (_, base, _) = resolve(ref, from: document) {
                properties.merge(base["properties"] as? [String: Any] ?? [:]) { own, _ in own }
            }
        }
        switch schema["type"] as? String {
        case "array":
            let items = schema["items"] as? [String: Any] ?? [:]
            return instance(items, document: document, depth: depth + 1).map { [$0] } ?? []
        case "string":
            switch schema["format"] as? String {
            case "date-time": return "2020-06-25T17:44:37.6830000Z"
            case "uri": return "https://example.invalid/\(name ?? "resource")"
            default: return "sample-\(name ?? "string")"
            }
        case "integer": return 30
        case "number": return 1.5
        case "boolean": return false
        default:
            if properties.isEmpty, schema["additionalProperties"] != nil { return ["key": "value"] }
            var object: [String: Any] = [:]
            for (key, value) in properties where key != "nextLink" {
                guard let property = value as? [String: Any] else { continue }
                if let generated = instance(property, document: document, depth: depth + 1, name: key) {
                    object[key] = generated
                }
            }
            return object
        }
    }

    /// The first definition that extends `base` through `allOf` with an `x-ms-discriminator-value`.
    private func variant(
        of base: String,
        in document: String
    ) -> (String, [String: Any], String, String)? {
        let definitions = documents[document]?["definitions"] as? [String: Any] ?? [:]
        for (name, value) in definitions.sorted(by: { $0.key > $1.key }) {
            guard let schema = value as? [String: Any],
                let discriminatorValue = schema["x-ms-discriminator-value"] as? String,
                let parts = schema["allOf"] as? [[String: Any]],
                parts.contains(where: { ($0["$ref"] as? String)?.hasSuffix("/\(base)") == true })
            else { continue }
            return (name, schema, document, discriminatorValue)
        }
        return nil
    }
}

/// Serves the spec's example response for each `method template-path`; unknown requests get 404.
func specScript(_ responses: [String: (status: Int, body: Any?)]) -> ScriptedServer.Script {
    let bodies = responses.mapValues { response in
        (response.status, response.body.flatMap { try? jsonString($0) } ?? "")
    }
    return { request, _ in
        for (key, response) in bodies {
            let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts[0].uppercased() == request.method, matches(template: parts[1], path: request.path) else {
                continue
            }
            return .json(response.0, response.1)
        }
        return .json(404, #"{"CommunicationError":{"Code":"NotFound","Details":[]}}"#)
    }
}

/// `/chat/threads/{chatThreadId}` matches `/chat/threads/19%3Aabc%40thread.v2`.
func matches(template: String, path: String) -> Bool {
    let templateParts = template.split(separator: "/", omittingEmptySubsequences: false)
    let pathParts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard templateParts.count == pathParts.count else { return false }
    return zip(templateParts, pathParts).allSatisfy { template, actual in
        template.hasPrefix("{") ? !actual.isEmpty : template == actual
    }
}
