package io.bptemporal.contracts.activity;

import java.io.Serial;

/**
 * A cron expression or calendar field that Temporal would not accept; the message says which part
 * and why.
 */
public final class CronSyntaxException extends IllegalArgumentException {

  @Serial private static final long serialVersionUID = 1L;

  public CronSyntaxException(String message) {
    super(message);
  }
}
