package io.bptemporal.devstack.junit;

import io.bptemporal.devstack.DevStackException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The provider chain of integration tests (docs/adr/0001-real-components-without-docker.md), first
 * match wins: services named by the environment, then the local binaries scripts/bootstrap
 * installed, then Testcontainers when a Docker engine answers.
 */
public enum StackSource {
  /**
   * TEMPORAL_ADDRESS is set: use that server (and DEVSTACK_JDBC_URL's PostgreSQL, or a local one).
   */
  ENVIRONMENT,
  /** .tools/ holds the Temporal server, SQL tool and UI, and PostgreSQL binaries exist. */
  LOCAL_BINARIES,
  /** A Docker engine answers: containers stand in for the binaries. */
  TESTCONTAINERS;

  /** The choice and the reason, printed once per test JVM. */
  public record Choice(StackSource source, String reason) {}

  public static Choice choose(
      Function<String, String> env, BooleanSupplier localBinaries, BooleanSupplier docker) {
    String address = env.apply("TEMPORAL_ADDRESS");
    if (address != null && !address.isBlank()) {
      return new Choice(ENVIRONMENT, "TEMPORAL_ADDRESS=" + address.strip() + " is set");
    }
    if (localBinaries.getAsBoolean()) {
      return new Choice(
          LOCAL_BINARIES, "TEMPORAL_ADDRESS is unset and the bootstrap's binaries are installed");
    }
    if (docker.getAsBoolean()) {
      return new Choice(
          TESTCONTAINERS,
          "TEMPORAL_ADDRESS is unset, the bootstrap's binaries are missing, a Docker engine answers");
    }
    throw new DevStackException(
        "no Temporal server for integration tests: TEMPORAL_ADDRESS is unset, the local "
            + "binaries are missing (run scripts/bootstrap, or 'make bootstrap', from the repository root) and no Docker engine answers");
  }
}
