package io.bptemporal.contracts.naming;

import java.util.regex.Pattern;

/**
 * A Kafka topic the platform creates, with its partition count.
 *
 * @param name topic name: 1-249 characters, letters, digits, '.', '_' and '-' (Kafka's rule), e.g.
 *     {@code bp.events}
 * @param partitions number of partitions, at least 1; records of one subject share a partition
 *     because producers key them by {@code subject}
 */
public record TopicSpec(String name, int partitions) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");

  public TopicSpec {
    if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException(
          "topic name '"
              + name
              + "' is not valid: 1-249 characters, letters, digits, '.', '_' and '-' (not '.' or"
              + " '..'), e.g. bp.events");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "topic '" + name + "' has " + partitions + " partitions; at least 1 is needed");
    }
  }
}
