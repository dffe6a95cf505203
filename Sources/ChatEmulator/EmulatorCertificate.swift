import Crypto
import Foundation
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// A throwaway certificate authority and a server certificate it signed for `localhost`, `127.0.0.1` and `::1`.
///
/// Clients trust ``authorityPEM`` as a root (Python: `connection_verify=` or `REQUESTS_CA_BUNDLE`; AHC:
/// `trustRoots`). Both keys live only in memory for the emulator's lifetime.
struct EmulatorCertificate: Sendable {
    let authorityPEM: String
    let serverChain: [NIOSSLCertificate]
    let serverKey: NIOSSLPrivateKey

    init() throws {
        do {
            let now = Date()
            let notBefore = now.addingTimeInterval(-3600)
            let notAfter = now.addingTimeInterval(366 * 86_400)
            let authorityKey = P256.Signing.PrivateKey()
            let authorityPublic = Certificate.PublicKey(authorityKey.publicKey)
            let authorityName = try DistinguishedName {
                OrganizationName("chat-archive")
                CommonName("chat-archive emulator CA")
            }
            let authoritySKI = SubjectKeyIdentifier(hash: authorityPublic)
            let authority = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: authorityPublic,
                notValidBefore: notBefore,
                notValidAfter: notAfter,
                issuer: authorityName,
                subject: authorityName,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    authoritySKI
                },
                issuerPrivateKey: Certificate.PrivateKey(authorityKey)
            )
            let serverKey = P256.Signing.PrivateKey()
            let serverPublic = Certificate.PublicKey(serverKey.publicKey)
            let serverName = try DistinguishedName {
                OrganizationName("chat-archive")
                CommonName("localhost")
            }
            let server = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: serverPublic,
                notValidBefore: notBefore,
                notValidAfter: notAfter,
                issuer: authorityName,
                subject: serverName,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([.serverAuth])
                    SubjectKeyIdentifier(hash: serverPublic)
                    AuthorityKeyIdentifier(keyIdentifier: authoritySKI.keyIdentifier)
                    SubjectAlternativeNames([
                        .dnsName("localhost"),
                        .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                        .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
                    ])
                },
                issuerPrivateKey: Certificate.PrivateKey(authorityKey)
            )
            authorityPEM = try authority.serializeAsPEM().pemString
            serverChain = [
                try NIOSSLCertificate(bytes: Array(try server.serializeAsPEM().pemString.utf8), format: .pem),
                try NIOSSLCertificate(bytes: Array(authorityPEM.utf8), format: .pem),
            ]
            self.serverKey = try NIOSSLPrivateKey(bytes: Array(serverKey.pemRepresentation.utf8), format: .pem)
        } catch {
            throw EmulatorError(
                code: .certificate,
                message: "cannot generate the TLS certificate",
                underlying: error
            )
        }
    }

    func makeServerTLSConfiguration() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: serverChain.map { .certificate($0) },
            privateKey: .privateKey(serverKey)
        )
        // NIOSSL waits up to 5 s for the peer's close_notify when we close; clients often never send one, and the
        // wait would hold up every shutdown of an in-process emulator.
        configuration.shutdownTimeout = .milliseconds(100)
        return configuration
    }
}
