package io.bptemporal.localcluster;

/** Image references as containerd stores them. */
public final class ImageReference {
  private ImageReference() {}

  /**
   * What the kubelet looks up and {@code ctr}/{@code crictl} list: a reference without a registry
   * host gets {@code docker.io/} (and {@code library/} without a path), e.g. {@code
   * temporalio/server:1.31.2} becomes {@code docker.io/temporalio/server:1.31.2}.
   */
  public static String normalise(String reference) {
    String first = reference.split("/")[0];
    boolean hasRegistry =
        reference.contains("/")
            && (first.contains(".") || first.contains(":") || first.equals("localhost"));
    if (hasRegistry) {
      return reference;
    }
    return "docker.io/" + (reference.contains("/") ? reference : "library/" + reference);
  }
}
