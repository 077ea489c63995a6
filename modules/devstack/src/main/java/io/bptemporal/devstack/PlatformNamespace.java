package io.bptemporal.devstack;

import java.time.Duration;
import java.util.List;

/** A Temporal namespace the dev stack registers, with its history retention. */
public record PlatformNamespace(String name, Duration retention, String description) {

  /** The platform's namespaces: the SDK default, one per service boundary. */
  public static final List<PlatformNamespace> PLATFORM = List.of(
      new PlatformNamespace("default", Duration.ofDays(3), "SDK default namespace for ad-hoc workflows"),
      new PlatformNamespace("orders", Duration.ofDays(30), "Order saga workflows"),
      new PlatformNamespace("pipelines", Duration.ofDays(7), "Data pipelines and scheduled RunActivity workflows"));

  public PlatformNamespace {
    if (retention.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException("namespace " + name + ": retention " + retention + " is below the server's minimum of 1h");
    }
  }
}
