package io.bptemporal.router.route;

import io.bptemporal.router.decode.DeadLetterReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the attempts at one record have settled so far, kept across retries: the routes Temporal
 * accepted (not asked again) and the routes it refused for good (their reasons go to the
 * dead-letter topic once every route is settled).
 */
public final class RecordAttempt {
  private final long startedNanos = System.nanoTime();
  private final Set<String> settled = new HashSet<>();
  private final List<String> rejections = new ArrayList<>();
  private DeadLetterReason firstKind;
  private int attempts;

  boolean settled(String routeId) {
    return settled.contains(routeId);
  }

  void accepted(String routeId) {
    settled.add(routeId);
  }

  void rejected(String routeId, DeadLetterReason kind, String reason) {
    settled.add(routeId);
    rejections.add(reason);
    if (firstKind == null) {
      firstKind = kind;
    }
  }

  List<String> rejections() {
    return rejections;
  }

  DeadLetterReason firstKind() {
    return firstKind;
  }

  /** Counts an attempt; returns how many were made before it. */
  public int nextAttempt() {
    return attempts++;
  }

  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
