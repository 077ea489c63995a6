package io.bptemporal.contracts.ordersaga;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Objects;

/**
 * Result of {@code ReserveInventory}.
 *
 * @param orderId the order
 * @param reservationId reference of the reservation
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record InventoryReservation(String orderId, String reservationId) {

  public InventoryReservation {
    Objects.requireNonNull(orderId, "order_id");
    Objects.requireNonNull(reservationId, "reservation_id");
  }
}
