package io.bptemporal.systemtests.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.junit.DevStackExtension;
import io.bptemporal.registry.store.RegistrySchema;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Smoke run of each runnable module's image tar (modules/NAME/target/jib-image.tar, written by
 * {@code make images}): its layers unpacked, its entrypoint run as the image's non-root user
 * against the dev stack; it must answer 200 on /readyz and exit 0 after SIGTERM. A missing tar is a
 * failure, not a skip.
 *
 * <p>Switched on with {@code -Dbp.images.smoke=true}, as {@code make test} does (it also builds the
 * images in the same run); without it, e.g. in a plain {@code ./mvnw verify} that builds no images,
 * this class reports why it did not run.
 */
@ExtendWith({ImageSmokeIT.SmokeSwitch.class, DevStackExtension.class})
class ImageSmokeIT {
  /**
   * Exit 0 is "stopped cleanly": 143 means the JVM's default SIGTERM handling ended it, not the
   * process.
   */
  private static final int CLEAN_EXIT = 0;

  private static final Duration READY_WITHIN = Duration.ofSeconds(60);
  // SHUTDOWN_GRACE_SECONDS below plus margin for the JVM to exit.
  private static final Duration STOP_WITHIN = Duration.ofSeconds(20);

  /**
   * Module directory, image repository name, database the process owns (none: empty), extra
   * environment; in its values {@code ${NAME}} stands for a variable set above (the activity
   * worker's registry is read only when a run comes, so for start and stop its own database stands
   * in).
   */
  static Stream<Arguments> images() {
    return Stream.of(
        Arguments.of("workers-order-saga", "order-saga-worker", "orders", Map.of()),
        Arguments.of("workers-pipeline", "pipeline-worker", "pipeline", Map.of()),
        Arguments.of(
            "workers-activity",
            "activity-worker",
            "activity",
            Map.of(
                "REGISTRY_DB_URL",
                "${DB_URL}",
                "REGISTRY_DB_USER",
                "${DB_USER}",
                "REGISTRY_DB_PASSWORD",
                "${DB_PASSWORD}")),
        Arguments.of("scheduler", "scheduler", "scheduler", Map.of()),
        // The router reads its routes from a registry: its database gets the registry's schema
        // (no routes), and the dev stack's broker.
        Arguments.of(
            "event-router",
            "event-router",
            "router_registry",
            Map.of(
                "REGISTRY_DB_URL",
                "${DB_URL}",
                "REGISTRY_DB_USER",
                "${DB_USER}",
                "REGISTRY_DB_PASSWORD",
                "${DB_PASSWORD}",
                "KAFKA_BOOTSTRAP_SERVERS",
                "${KAFKA}")));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("images")
  void becomesReadyAgainstTheDevStackAndStopsCleanlyOnSigterm(
      String module,
      String imageName,
      String database,
      Map<String, String> extraEnv,
      StackEndpoints stack,
      @TempDir Path scratch)
      throws Exception {
    Path tar =
        ProjectLayout.root().resolve("modules").resolve(module).resolve("target/jib-image.tar");
    assertThat(tar).as("image tar of %s: run `make images` first", module).isRegularFile();

    ImageArchive image = ImageArchive.read(tar, scratch.resolve("image"));
    Path rootfs = RootFilesystem.assemble(image.layers(), scratch.resolve("rootfs"));
    assertCarriesItsSbom(module, rootfs);
    int port = ImageProcessIT.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("MANAGEMENT_PORT", String.valueOf(port));
    env.put("TEMPORAL_ADDRESS", stack.temporalAddress());
    env.put("DB_URL", stack.postgres().ensureDatabase(database, database, database + "-smoke"));
    env.put("DB_USER", database);
    env.put("DB_PASSWORD", database + "-smoke");
    env.put("LOG_FORMAT", "json");
    env.put("SHUTDOWN_GRACE_SECONDS", "10");
    env.put("KAFKA", stack.kafkaBootstrapServers());
    if (module.equals("event-router")) {
      // Two connections: Flyway holds one for its lock while it migrates on the other.
      try (HikariDataSource registry =
          Databases.pool(
              new DatabaseSettings(env.get("DB_URL"), database, database + "-smoke", 2),
              "smoke-registry")) {
        RegistrySchema.migrate(registry);
      }
    }
    extraEnv.forEach(
        (name, value) ->
            env.put(
                name,
                value.startsWith("${") && value.endsWith("}")
                    ? env.get(value.substring(2, value.length() - 1))
                    : value));

    try (ImageProcess process = ImageProcess.start(imageName, rootfs, image.config(), env)) {
      Duration ready = process.awaitHttpOk(port, "/readyz", READY_WITHIN);
      int exit = process.stop(STOP_WITHIN);
      System.out.printf(
          "image-smoke: %s ready in %d ms (cold start), layers %.1f MiB compressed, exit %d%n",
          imageName, ready.toMillis(), image.layerBytes() / 1048576.0, exit);
      assertThat(exit)
          .as(
              "%s exit code after SIGTERM (143 = the JVM's default handler ended it without the "
                  + "process's graceful shutdown); output:%n%s",
              imageName, process.tail())
          .isEqualTo(CLEAN_EXIT);
    }
  }

  /**
   * The CycloneDX SBOM the build writes into the module's classes (docs/security.md, supply chain)
   * ships in the image, names the module and lists its libraries, the Temporal SDK among them.
   */
  private static void assertCarriesItsSbom(String module, Path rootfs) throws Exception {
    Path sbom = rootfs.resolve("app/resources/META-INF/sbom/bom.json");
    assertThat(sbom)
        .as(
            "SBOM of the %s image (the cyclonedx plugin skips in offline Maven runs, -o: build the"
                + " images online, as make test does)",
            module)
        .isRegularFile();
    JsonNode bom = new ObjectMapper().readTree(sbom.toFile());
    assertThat(bom.path("bomFormat").asText()).as("%s bomFormat", sbom).isEqualTo("CycloneDX");
    assertThat(bom.at("/metadata/component/name").asText())
        .as("%s metadata.component.name", sbom)
        .isEqualTo(module);
    assertThat(bom.path("components").findValuesAsText("name"))
        .as("%s components", sbom)
        .contains("temporal-sdk");
  }

  /** Off unless -Dbp.images.smoke=true; says so on the console, not only in the report files. */
  static final class SmokeSwitch implements ExecutionCondition {
    static final String PROPERTY = "bp.images.smoke";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (Boolean.parseBoolean(System.getProperty(PROPERTY))) {
        return ConditionEvaluationResult.enabled(PROPERTY + "=true");
      }
      String why =
          "ImageSmokeIT did not run: the image smoke run is off. "
              + "Run `make images`, then pass -D"
              + PROPERTY
              + "=true (docs/operations/images.md).";
      System.out.println(why);
      return ConditionEvaluationResult.disabled(why);
    }
  }
}
