package io.bptemporal.localcluster;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Health endpoints of the components. The API server is checked against the cluster's CA; the
 * controller manager and scheduler serve /healthz on loopback with self-signed certificates, which
 * are not verified (loopback only: nothing else can answer there).
 */
final class Probes {
  private final HttpClient plain;
  private final HttpClient clusterCa;
  private final HttpClient loopbackSelfSigned;

  Probes(Path caCert) {
    this.plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    this.clusterCa =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .sslContext(trusting(caCert))
            .build();
    this.loopbackSelfSigned =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .sslContext(trustingAnyone())
            .build();
  }

  boolean http(String url, String expectedBodyPart) throws IOException, InterruptedException {
    return ok(plain, url, expectedBodyPart);
  }

  boolean apiServer(String path) throws IOException, InterruptedException {
    return ok(
        clusterCa, "https://" + ClusterLayout.NODE_IP + ":" + ClusterLayout.API_PORT + path, "ok");
  }

  boolean loopbackHttps(int port, String path) throws IOException, InterruptedException {
    return ok(loopbackSelfSigned, "https://127.0.0.1:" + port + path, "ok");
  }

  private static boolean ok(HttpClient client, String url, String expectedBodyPart)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 && response.body().contains(expectedBodyPart);
  }

  private static SSLContext trusting(Path caCert) {
    try (InputStream in = Files.newInputStream(caCert)) {
      X509Certificate ca =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("bp-temporal-local-cluster-ca", ca);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new LocalClusterException(
          "cannot load the cluster CA " + caCert + ": " + e.getMessage(), e);
    }
  }

  private static SSLContext trustingAnyone() {
    TrustManager anyone =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {anyone}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new LocalClusterException("cannot create a TLS context: " + e.getMessage(), e);
    }
  }
}
