package io.bptemporal.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;

/**
 * The cluster's certificate authority, component certificates, service-account signing key and
 * kubeconfigs, made once with openssl and kept across restarts so existing tokens and kubeconfigs
 * stay valid. RSA keys in PKCS#1 form: every client reads them (Fabric8's client, for one, cannot
 * read PKCS#8 EC keys without Bouncy Castle).
 */
final class Pki {
  private static final int DAYS = 3650;
  private final ClusterLayout layout;
  private final Path dir;

  Pki(ClusterLayout layout) {
    this.layout = layout;
    this.dir = layout.pki();
  }

  /**
   * Client identities: file name, subject. The API server authorizes them by these names (RBAC,
   * Node).
   */
  private static final List<String[]> CLIENTS =
      List.of(
          new String[] {"admin", "/O=system:masters/CN=bp-temporal-admin"},
          new String[] {
            "apiserver-kubelet-client", "/O=system:masters/CN=kube-apiserver-kubelet-client"
          },
          new String[] {"controller-manager", "/CN=system:kube-controller-manager"},
          new String[] {"scheduler", "/CN=system:kube-scheduler"},
          new String[] {
            "kubelet-client", "/O=system:nodes/CN=system:node:" + ClusterLayout.NODE_NAME
          },
          new String[] {"kube-proxy", "/CN=system:kube-proxy"},
          new String[] {"provisioner", "/CN=system:bpt-local-provisioner"});

  void ensure() {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      if (!Files.exists(dir.resolve("ca.crt"))) {
        key("ca");
        openssl(
            "req",
            "-x509",
            "-new",
            "-key",
            file("ca.key"),
            "-subj",
            "/CN=bp-temporal-local-cluster-ca",
            "-days",
            String.valueOf(DAYS),
            "-out",
            file("ca.crt"));
      }
      if (!Files.exists(dir.resolve("sa.pub"))) {
        key("sa");
        openssl("pkey", "-in", file("sa.key"), "-pubout", "-out", file("sa.pub"));
      }
      String node = ClusterLayout.NODE_NAME;
      server(
          "apiserver",
          "/CN=kube-apiserver",
          "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,"
              + "DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:"
              + ClusterLayout.API_SERVICE_IP
              + ",IP:"
              + ClusterLayout.NODE_IP);
      server(
          "kubelet",
          "/CN=" + node,
          "DNS:" + node + ",DNS:localhost,IP:127.0.0.1,IP:" + ClusterLayout.NODE_IP);
      for (String[] client : CLIENTS) {
        client(client[0], client[1]);
      }
      kubeconfig(layout.kubeconfig(), "admin");
      for (String name : List.of("controller-manager", "scheduler", "kube-proxy", "provisioner")) {
        kubeconfig(layout.etc().resolve(name + ".kubeconfig"), name);
      }
      kubeconfig(layout.etc().resolve("kubelet.kubeconfig"), "kubelet-client");
    } catch (IOException e) {
      throw new LocalClusterException(
          "cannot write the cluster's certificates under " + dir + ": " + e.getMessage(), e);
    }
  }

  Path caCert() {
    return dir.resolve("ca.crt");
  }

  Path path(String name) {
    return dir.resolve(name);
  }

  private void server(String name, String subject, String sans) throws IOException {
    sign(name, subject, "extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=" + sans + "\n");
  }

  private void client(String name, String subject) throws IOException {
    sign(name, subject, "extendedKeyUsage=clientAuth\n");
  }

  private void sign(String name, String subject, String extensions) throws IOException {
    if (Files.exists(dir.resolve(name + ".crt"))) {
      return;
    }
    key(name);
    openssl(
        "req", "-new", "-key", file(name + ".key"), "-subj", subject, "-out", file(name + ".csr"));
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(
        ext,
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
            + extensions);
    openssl(
        "x509",
        "-req",
        "-in",
        file(name + ".csr"),
        "-CA",
        file("ca.crt"),
        "-CAkey",
        file("ca.key"),
        "-CAcreateserial",
        "-days",
        String.valueOf(DAYS),
        "-extfile",
        ext.toString(),
        "-out",
        file(name + ".crt"));
    Files.delete(dir.resolve(name + ".csr"));
    Files.delete(ext);
  }

  private void key(String name) {
    openssl("genrsa", "-traditional", "-out", file(name + ".key"), "2048");
  }

  private String file(String name) {
    return dir.resolve(name).toString();
  }

  private static void openssl(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "openssl";
    System.arraycopy(args, 0, command, 1, args.length);
    HostCommand.of(command).check();
  }

  private void kubeconfig(Path target, String identity) throws IOException {
    if (Files.exists(target)) {
      return;
    }
    Base64.Encoder b64 = Base64.getEncoder();
    String text =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: bp-temporal-local
          cluster:
            server: https://%s:%d
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            client-certificate-data: %s
            client-key-data: %s
        contexts:
        - name: bp-temporal-local
          context: {cluster: bp-temporal-local, user: %s}
        current-context: bp-temporal-local
        """
            .formatted(
                ClusterLayout.NODE_IP,
                ClusterLayout.API_PORT,
                b64.encodeToString(Files.readAllBytes(caCert())),
                identity,
                b64.encodeToString(Files.readAllBytes(dir.resolve(identity + ".crt"))),
                b64.encodeToString(Files.readAllBytes(dir.resolve(identity + ".key"))),
                identity);
    Files.createDirectories(target.getParent());
    Files.writeString(target, text);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
  }
}
