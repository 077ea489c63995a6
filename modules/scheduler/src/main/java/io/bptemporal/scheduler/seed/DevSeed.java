package io.bptemporal.scheduler.seed;

import com.fasterxml.jackson.databind.JsonNode;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.registry.store.ActivityRegistry;
import io.bptemporal.scheduler.plan.CanonicalJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry rows of the dev stack ({@code SCHEDULER_SEED=dev}, {@code scheduler seed dev}): a
 * RunActivity every minute, a nightly data pipeline, an hourly job with COMPRESS. Each is a valid
 * ActivityDefinition aimed at the platform's own workflows (namespace pipelines; task queue
 * activities-tq for RunActivity, pipelines-tq for the data pipeline). Seeding never overwrites a
 * row: an operator's edit of a seeded row survives restarts.
 */
public final class DevSeed {
  private static final Logger log = LoggerFactory.getLogger(DevSeed.class);
  static final String RESOURCE = "/io/bptemporal/scheduler/seed/dev-seed.json";

  private DevSeed() {}

  /** The seed definitions, each checked against the ActivityDefinition contract. */
  public static List<ActivityDefinition> definitions() {
    try (InputStream in = DevSeed.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("seed file " + RESOURCE + " is missing from the classpath");
      }
      JsonNode seeds = CanonicalJson.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      List<ActivityDefinition> definitions = new ArrayList<>();
      for (JsonNode seed : seeds) {
        ValidationResult<ActivityDefinition> result =
            ContractValidator.validateDefinition(seed.toString());
        definitions.add(result.orElseThrow());
      }
      return definitions;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read seed file " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  /** Inserts the rows that are missing; returns the activity_ids inserted. */
  public static List<String> insert(ActivityRegistry registry) {
    List<String> inserted = new ArrayList<>();
    for (ActivityDefinition definition : definitions()) {
      if (registry.putIfAbsent(definition)) {
        inserted.add(definition.activityId());
      }
    }
    log.info(
        "dev seed: inserted {} of {} rows {}", inserted.size(), definitions().size(), inserted);
    return inserted;
  }
}
