package io.bptemporal.scheduler.plan;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The schedules of one managed namespace, or why they could not be listed. Nothing is deleted in a
 * namespace that could not be listed.
 */
public record NamespaceListing(
    String namespace, List<ListedSchedule> schedules, Optional<String> failure) {
  public NamespaceListing {
    Objects.requireNonNull(namespace, "namespace");
    schedules = List.copyOf(schedules);
    Objects.requireNonNull(failure, "failure");
  }

  public static NamespaceListing of(String namespace, List<ListedSchedule> schedules) {
    return new NamespaceListing(namespace, schedules, Optional.empty());
  }

  public static NamespaceListing failed(String namespace, String failure) {
    return new NamespaceListing(namespace, List.of(), Optional.of(failure));
  }
}
