package io.bptemporal.devstack;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * {@code DEVSTACK_TLS}: a throwaway certificate authority generated at every start, and the
 * certificates it signs, written as PEM files under {@code <workDir>/tls} (which is deleted with
 * the stack, and is never in the repository). The server's certificate (for the frontend, the
 * internal frontend, history and matching; also presented as a client certificate between them)
 * names {@code 127.0.0.1} and {@code localhost}; each client gets a certificate of its own, signed
 * by the same CA, which the server requires ({@code requireClientAuth}).
 *
 * <p>Keys are EC P-256; the private keys are PKCS#8 (what the Temporal SDKs, the UI server and the
 * server all read), the files readable by their owner only.
 */
public final class StackTls {
  private static final Duration VALIDITY = Duration.ofDays(2);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate ca;

  /** The CA's and a certificate's files: PEM certificate, PEM PKCS#8 key. */
  public record CertFiles(Path certFile, Path keyFile) {}

  private StackTls(Path dir, KeyPair caKeys, X509Certificate ca) {
    this.dir = dir;
    this.caKeys = caKeys;
    this.ca = ca;
  }

  /** Generates a new CA under {@code dir} and writes {@code ca.pem}. */
  public static StackTls generate(Path dir) {
    try {
      Files.createDirectories(dir);
      KeyPair caKeys = newKeyPair();
      X500Name name = new X500Name("CN=bp-temporal dev stack CA " + Instant.now());
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  name,
                  serial(),
                  Date.from(now.minus(Duration.ofMinutes(5))),
                  Date.from(now.plus(VALIDITY)),
                  name,
                  caKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509Certificate ca = sign(builder, caKeys);
      StackTls tls = new StackTls(dir, caKeys, ca);
      writePem(tls.caFile(), ca, false);
      return tls;
    } catch (IOException | GeneralSecurityException e) {
      throw new DevStackException("cannot generate the dev stack's CA in " + dir + ": " + e, e);
    }
  }

  /** PEM of the CA certificate: what clients trust and the server checks client certificates by. */
  public Path caFile() {
    return dir.resolve("ca.pem");
  }

  /**
   * The server's certificate ({@code server.pem}, {@code server-key.pem}): server and client auth,
   * for 127.0.0.1 and localhost.
   */
  public synchronized CertFiles server() {
    CertFiles files = new CertFiles(dir.resolve("server.pem"), dir.resolve("server-key.pem"));
    return Files.exists(files.certFile()) ? files : issue("server", "temporal-server", true);
  }

  /**
   * A client certificate for {@code name} ({@code <name>.pem}, {@code <name>-key.pem}), issued once
   * and reused.
   */
  public synchronized CertFiles client(String name) {
    if (!name.matches("[a-z0-9][a-z0-9.-]*") || name.equals("server") || name.equals("ca")) {
      throw new IllegalArgumentException("client name '" + name + "' is not [a-z0-9.-]+");
    }
    CertFiles files = new CertFiles(dir.resolve(name + ".pem"), dir.resolve(name + "-key.pem"));
    if (Files.exists(files.certFile())) {
      return files;
    }
    return issue(name, name, false);
  }

  private synchronized CertFiles issue(String file, String commonName, boolean server) {
    CertFiles files = new CertFiles(dir.resolve(file + ".pem"), dir.resolve(file + "-key.pem"));
    try {
      KeyPair keys = newKeyPair();
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  ca,
                  serial(),
                  Date.from(now.minus(Duration.ofMinutes(5))),
                  Date.from(now.plus(VALIDITY)),
                  new X500Name("CN=" + commonName),
                  keys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(caKeys.getPublic()));
      if (server) {
        // The server's services present it to each other as a client certificate too
        // (internode mTLS), so it carries both purposes.
        builder
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(
                    new KeyPurposeId[] {
                      KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                    }))
            .addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(
                    new GeneralName[] {
                      new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                      new GeneralName(GeneralName.dNSName, "localhost")
                    }));
      } else {
        builder.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      }
      X509Certificate certificate = sign(builder, caKeys);
      writePem(files.certFile(), certificate, false);
      writePem(files.keyFile(), new JcaPKCS8Generator(keys.getPrivate(), null), true);
      return files;
    } catch (IOException | GeneralSecurityException e) {
      throw new DevStackException("cannot issue the certificate " + files.certFile() + ": " + e, e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
      throws GeneralSecurityException {
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static void writePem(Path file, Object object, boolean secret) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(object);
    }
    Files.writeString(file, text.toString());
    Files.setPosixFilePermissions(
        file, PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"));
  }
}
