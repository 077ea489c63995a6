package io.bptemporal.registry.routes;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a route hands a matching event to Temporal. */
public enum Delivery {
  /**
   * Start one {@code RunActivityWorkflow} per event, workflow id {@code
   * <activity_id>:event:<event_id>}; a second start of the same id is a no-op.
   */
  START,
  /**
   * Signal-with-start the subject's long-lived {@code SubjectEventsWorkflow}: the subject's events
   * are handled one at a time in arrival order. The envelope must carry a {@code subject}.
   */
  SIGNAL_WITH_START;

  /** What the {@code delivery} column accepts, in words. */
  public static final String ACCEPTED =
      Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(" or "));

  public static Optional<Delivery> parse(String text) {
    return Arrays.stream(values()).filter(d -> d.name().equals(text)).findFirst();
  }
}
