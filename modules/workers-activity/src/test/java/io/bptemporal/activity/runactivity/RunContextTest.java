package io.bptemporal.activity.runactivity;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.contracts.activity.ActivityDefinition;
import io.bptemporal.contracts.runactivity.CompressedWindow;
import io.bptemporal.contracts.runactivity.CreateTasks;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunContextTest {
  private static final Instant AT = Instant.parse("2026-11-21T02:00:00Z");

  private static RunContext context(
      long version, String input, Optional<CompressedWindow> window, String facts) {
    ActivityDefinition definition = Definitions.definition("nightly-export", version, input);
    return RunContext.of(
        new CreateTasks(
            "nightly-export:2026-11-21T02:00:00Z", AT, definition, Optional.empty(), window),
        Definitions.json(facts));
  }

  @Test
  void equalInputsGiveEqualHashesWhateverTheKeyOrder() {
    RunContext a =
        context(
            3, "{\"a\": 1, \"b\": {\"y\": 2, \"x\": 1}}", Optional.empty(), "{\"p\": 1, \"q\": 2}");
    RunContext b =
        context(
            3, "{\"b\": {\"x\": 1, \"y\": 2}, \"a\": 1}", Optional.empty(), "{\"q\": 2, \"p\": 1}");

    assertThat(a.hash()).matches("sha256:[0-9a-f]{64}").isEqualTo(b.hash());
    assertThat(a.factNames()).containsExactly("p", "q");
  }

  @Test
  void revisionInputWindowAndFactsEachChangeTheHash() {
    String base = context(3, "{}", Optional.empty(), "{}").hash();

    assertThat(context(4, "{}", Optional.empty(), "{}").hash()).isNotEqualTo(base);
    assertThat(context(3, "{\"days\": 2}", Optional.empty(), "{}").hash()).isNotEqualTo(base);
    assertThat(
            context(
                    3,
                    "{}",
                    Optional.of(new CompressedWindow(Instant.parse("2026-11-20T02:00:00Z"), AT, 2)),
                    "{}")
                .hash())
        .isNotEqualTo(base);
    assertThat(context(3, "{}", Optional.empty(), "{\"regions\": [\"eu\"]}").hash())
        .isNotEqualTo(base);
  }
}
