package io.bptemporal.router.deliver;

import io.bptemporal.contracts.event.EventEnvelope;
import io.bptemporal.registry.routes.EventRoute;

/** Hands one envelope to Temporal as one route says. */
public interface Deliveries {
  /**
   * Starts or signals, idempotently: asking twice for the same route and event has the effect of
   * asking once.
   *
   * @throws RetryableDeliveryException when waiting may help; the caller tries the same record
   *     again
   * @throws RejectedDeliveryException when it never will; the caller dead-letters the record
   */
  DeliveryResult deliver(EventRoute route, EventEnvelope envelope);
}
