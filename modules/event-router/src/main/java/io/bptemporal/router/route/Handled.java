package io.bptemporal.router.route;

import io.bptemporal.router.decode.DeadLetterReason;
import java.util.Objects;

/** What the router decided for one record, once every request for it was accepted. */
public sealed interface Handled {
  /** Every matching route's request was accepted (started, signalled or duplicate). */
  record Routed(int routes) implements Handled {}

  /** No active route takes the envelope. */
  record Unrouted() implements Handled {}

  /** The record must go to the dead-letter topic with this reason. */
  record DeadLetter(DeadLetterReason kind, String reason) implements Handled {
    public DeadLetter {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
