package io.bptemporal.observability.health;

import java.time.Duration;

/** One check's answer in a {@link ReadinessReport}. */
public record CheckOutcome(String name, boolean healthy, String detail, Duration took) {}
