package io.bptemporal.localcluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the components' configuration files and the add-on manifests from this package's
 * resources into {@code .cluster/etc}, substituting {@code ${NAME}} placeholders from the cluster
 * layout. Rendered at every supervisor start, so a changed template takes effect on the next {@code
 * make cluster}.
 */
final class ClusterConfigs {
  static final String PAUSE_IMAGE = "registry.k8s.io/pause:3.10";
  static final String COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.12.4";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");
  static final List<String> ADDONS = List.of("10-storage.yaml", "20-coredns.yaml");

  private final ClusterLayout layout;

  ClusterConfigs(ClusterLayout layout) {
    this.layout = layout;
  }

  Map<String, String> values() {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("DATA", layout.data().toString());
    v.put("RUN", layout.run().toString());
    v.put("ETC", layout.etc().toString());
    v.put("PKI", layout.pki().toString());
    v.put("NODE_NAME", ClusterLayout.NODE_NAME);
    v.put("NODE_IP", ClusterLayout.NODE_IP);
    v.put("POD_BRIDGE", ClusterLayout.POD_BRIDGE);
    v.put("POD_CIDR", ClusterLayout.POD_CIDR);
    v.put("NODE_POD_SUBNET", ClusterLayout.NODE_POD_SUBNET);
    v.put("POD_GATEWAY", ClusterLayout.POD_GATEWAY);
    v.put("DNS_SERVICE_IP", ClusterLayout.DNS_SERVICE_IP);
    v.put("KUBELET_HEALTHZ_PORT", String.valueOf(ClusterLayout.KUBELET_HEALTHZ_PORT));
    v.put("KUBE_PROXY_HEALTHZ_PORT", String.valueOf(ClusterLayout.KUBE_PROXY_HEALTHZ_PORT));
    v.put("STORAGE_CLASS", ClusterLayout.STORAGE_CLASS);
    v.put("PROVISIONER_NAME", ClusterLayout.PROVISIONER_NAME);
    v.put("PAUSE_IMAGE", PAUSE_IMAGE);
    v.put("COREDNS_IMAGE", COREDNS_IMAGE);
    return v;
  }

  void renderAll() {
    Path etc = layout.etc();
    render("containerd.toml", etc.resolve("containerd.toml"));
    render("kubelet.yaml", etc.resolve("kubelet.yaml"));
    render("kube-proxy.yaml", etc.resolve("kube-proxy.yaml"));
    render("crictl.yaml", etc.resolve("crictl.yaml"));
    render("10-bpt.conflist", etc.resolve("cni/net.d/10-bpt.conflist"));
    for (String addon : ADDONS) {
      render("addons/" + addon, etc.resolve("addons").resolve(addon));
    }
  }

  Path addonsDir() {
    return layout.etc().resolve("addons");
  }

  void render(String resource, Path target) {
    try {
      Files.createDirectories(target.getParent());
      Files.writeString(target, substitute(resource, read(resource), values()));
    } catch (IOException e) {
      throw new LocalClusterException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  static String substitute(String name, String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new LocalClusterException(
            name + ": unknown placeholder ${" + m.group(1) + "} (known: " + values.keySet() + ")");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = ClusterConfigs.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new LocalClusterException(
            "resource " + resource + " is missing from the local-cluster module");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
