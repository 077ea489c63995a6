package io.bptemporal.ordersaga.inventory;

import static io.bptemporal.ordersaga.db.schema.Tables.INVENTORY_RESERVATIONS;
import static io.bptemporal.ordersaga.db.schema.Tables.INVENTORY_RESERVATION_LINES;
import static io.bptemporal.ordersaga.db.schema.Tables.INVENTORY_STOCK;

import io.bptemporal.contracts.idempotency.IdempotencyKey;
import io.bptemporal.contracts.ordersaga.CompensationResult;
import io.bptemporal.contracts.ordersaga.CompensationStep;
import io.bptemporal.contracts.ordersaga.InventoryReservation;
import io.bptemporal.contracts.ordersaga.OrderEffect;
import io.bptemporal.contracts.ordersaga.OrderLine;
import io.bptemporal.contracts.ordersaga.ReleaseInventory;
import io.bptemporal.contracts.ordersaga.ReserveInventory;
import io.bptemporal.ordersaga.BusinessFailure;
import io.bptemporal.ordersaga.db.schema.tables.records.InventoryReservationLinesRecord;
import io.bptemporal.ordersaga.db.schema.tables.records.InventoryReservationsRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stock and reservations. A reservation takes all of an order's lines or none, in one transaction:
 * the reservation row (unique under {@code inventory.reserve/<order_id>}) and every stock decrement
 * ({@code available = available - qty where available >= qty}) commit together, so a crash before
 * the commit leaves nothing and a retry after it finds the reservation. Stock rows are updated in
 * SKU order, so concurrent reservations never deadlock.
 */
public final class InventoryReservations {
  private static final Logger log = LoggerFactory.getLogger(InventoryReservations.class);
  public static final String RESERVED = "RESERVED";
  public static final String RELEASED = "RELEASED";

  private final DSLContext dsl;

  public InventoryReservations(DSLContext dsl) {
    this.dsl = dsl;
  }

  public InventoryReservation reserve(ReserveInventory request) {
    String orderId = request.orderId();
    IdempotencyKey reserveKey = OrderEffect.RESERVE_INVENTORY.key(orderId);
    String reservationId = reservationId(reserveKey);
    return dsl.transactionResult(
        tx -> {
          DSLContext db = tx.dsl();
          int inserted =
              db.insertInto(INVENTORY_RESERVATIONS)
                  .set(INVENTORY_RESERVATIONS.RESERVATION_ID, reservationId)
                  .set(INVENTORY_RESERVATIONS.RESERVE_KEY, reserveKey.value())
                  .set(INVENTORY_RESERVATIONS.ORDER_ID, orderId)
                  .set(INVENTORY_RESERVATIONS.STATUS, RESERVED)
                  .onConflictDoNothing()
                  .execute();
          if (inserted == 0) {
            InventoryReservationsRecord existing =
                db.selectFrom(INVENTORY_RESERVATIONS)
                    .where(INVENTORY_RESERVATIONS.ORDER_ID.eq(orderId))
                    .fetchSingle();
            if (RELEASED.equals(existing.getStatus())) {
              throw BusinessFailure.RESERVATION_RELEASED.failure(
                  "inventory of order "
                      + orderId
                      + " was released"
                      + " by a compensation before this reservation attempt; nothing is reserved");
            }
            return new InventoryReservation(orderId, existing.getReservationId());
          }
          Map<String, Integer> wanted = quantitiesBySku(request.lines());
          List<String> unknown = new ArrayList<>();
          List<String> short_ = new ArrayList<>();
          for (Map.Entry<String, Integer> line : wanted.entrySet()) {
            int taken =
                db.update(INVENTORY_STOCK)
                    .set(
                        INVENTORY_STOCK.AVAILABLE, INVENTORY_STOCK.AVAILABLE.minus(line.getValue()))
                    .set(INVENTORY_STOCK.UPDATED_AT, OffsetDateTime.now())
                    .where(INVENTORY_STOCK.SKU.eq(line.getKey()))
                    .and(INVENTORY_STOCK.AVAILABLE.ge(line.getValue()))
                    .execute();
            if (taken == 0) {
              Optional<Integer> available =
                  db.select(INVENTORY_STOCK.AVAILABLE)
                      .from(INVENTORY_STOCK)
                      .where(INVENTORY_STOCK.SKU.eq(line.getKey()))
                      .fetchOptional(INVENTORY_STOCK.AVAILABLE);
              if (available.isEmpty()) {
                unknown.add(line.getKey());
              } else {
                short_.add(
                    line.getKey()
                        + " requested "
                        + line.getValue()
                        + ", available "
                        + available.get());
              }
            }
          }
          // Throwing rolls the transaction back: the reservation row and every decrement made above
          // vanish.
          if (!unknown.isEmpty()) {
            throw BusinessFailure.UNKNOWN_SKU.failure(
                "order "
                    + orderId
                    + " names SKUs the inventory does not"
                    + " know: "
                    + String.join(", ", unknown)
                    + "; nothing was reserved");
          }
          if (!short_.isEmpty()) {
            throw BusinessFailure.OUT_OF_STOCK.failure(
                "out of stock for order "
                    + orderId
                    + ": "
                    + String.join("; ", short_)
                    + "; nothing was reserved");
          }
          var lines =
              db.insertInto(
                  INVENTORY_RESERVATION_LINES,
                  INVENTORY_RESERVATION_LINES.RESERVATION_ID,
                  INVENTORY_RESERVATION_LINES.SKU,
                  INVENTORY_RESERVATION_LINES.QUANTITY);
          for (Map.Entry<String, Integer> line : wanted.entrySet()) {
            lines = lines.values(reservationId, line.getKey(), line.getValue());
          }
          lines.execute();
          log.info("reserved {} for order {} ({})", wanted, orderId, reservationId);
          return new InventoryReservation(orderId, reservationId);
        });
  }

  /**
   * Puts the order's reserved stock back. {@code applied} is false when nothing was reserved — then
   * a RELEASED row without lines fences off a reservation attempt that would land later — or when
   * an earlier attempt already released it.
   */
  public CompensationResult release(ReleaseInventory request) {
    String orderId = request.orderId();
    IdempotencyKey reserveKey = OrderEffect.RESERVE_INVENTORY.key(orderId);
    String releaseKey = OrderEffect.RELEASE_INVENTORY.key(orderId).value();
    boolean applied =
        dsl.transactionResult(
            tx -> {
              DSLContext db = tx.dsl();
              int fenced =
                  db.insertInto(INVENTORY_RESERVATIONS)
                      .set(INVENTORY_RESERVATIONS.RESERVATION_ID, reservationId(reserveKey))
                      .set(INVENTORY_RESERVATIONS.RESERVE_KEY, reserveKey.value())
                      .set(INVENTORY_RESERVATIONS.ORDER_ID, orderId)
                      .set(INVENTORY_RESERVATIONS.STATUS, RELEASED)
                      .set(INVENTORY_RESERVATIONS.RELEASE_KEY, releaseKey)
                      .set(INVENTORY_RESERVATIONS.RELEASE_REASON, request.reason())
                      .set(INVENTORY_RESERVATIONS.RELEASED_AT, OffsetDateTime.now())
                      .onConflictDoNothing()
                      .execute();
              if (fenced == 1) {
                log.info(
                    "nothing to release for order {}: no reservation; fenced ({})",
                    orderId,
                    request.reason());
                return false;
              }
              InventoryReservationsRecord reservation =
                  db.selectFrom(INVENTORY_RESERVATIONS)
                      .where(INVENTORY_RESERVATIONS.ORDER_ID.eq(orderId))
                      .forUpdate()
                      .fetchSingle();
              if (RELEASED.equals(reservation.getStatus())) {
                return false;
              }
              List<InventoryReservationLinesRecord> lines =
                  db.selectFrom(INVENTORY_RESERVATION_LINES)
                      .where(
                          INVENTORY_RESERVATION_LINES.RESERVATION_ID.eq(
                              reservation.getReservationId()))
                      .orderBy(INVENTORY_RESERVATION_LINES.SKU)
                      .fetch();
              for (InventoryReservationLinesRecord line : lines) {
                db.update(INVENTORY_STOCK)
                    .set(
                        INVENTORY_STOCK.AVAILABLE,
                        INVENTORY_STOCK.AVAILABLE.plus(line.getQuantity()))
                    .set(INVENTORY_STOCK.UPDATED_AT, OffsetDateTime.now())
                    .where(INVENTORY_STOCK.SKU.eq(line.getSku()))
                    .execute();
              }
              db.update(INVENTORY_RESERVATIONS)
                  .set(INVENTORY_RESERVATIONS.STATUS, RELEASED)
                  .set(INVENTORY_RESERVATIONS.RELEASE_KEY, releaseKey)
                  .set(INVENTORY_RESERVATIONS.RELEASE_REASON, request.reason())
                  .set(INVENTORY_RESERVATIONS.RELEASED_AT, OffsetDateTime.now())
                  .where(INVENTORY_RESERVATIONS.RESERVATION_ID.eq(reservation.getReservationId()))
                  .execute();
              log.info(
                  "released reservation {} of order {} ({} lines): {}",
                  reservation.getReservationId(),
                  orderId,
                  lines.size(),
                  request.reason());
              return true;
            });
    return new CompensationResult(orderId, CompensationStep.RELEASE_INVENTORY, applied);
  }

  /**
   * Makes at least {@code available} units of each SKU available: a SKU with less is raised to it,
   * one with more is left alone. Running it again changes nothing, so demos and tests can seed
   * freely.
   */
  public void ensureAvailable(Map<String, Integer> available) {
    dsl.transaction(
        tx -> {
          for (Map.Entry<String, Integer> sku : new TreeMap<>(available).entrySet()) {
            tx.dsl()
                .insertInto(INVENTORY_STOCK)
                .set(INVENTORY_STOCK.SKU, sku.getKey())
                .set(INVENTORY_STOCK.AVAILABLE, sku.getValue())
                .onConflict(INVENTORY_STOCK.SKU)
                .doUpdate()
                .set(
                    INVENTORY_STOCK.AVAILABLE,
                    DSL.greatest(
                        INVENTORY_STOCK.AVAILABLE, DSL.excluded(INVENTORY_STOCK.AVAILABLE)))
                .execute();
          }
        });
  }

  /** Units of {@code sku} available now; empty when the SKU is unknown. */
  public Optional<Integer> available(String sku) {
    return dsl.select(INVENTORY_STOCK.AVAILABLE)
        .from(INVENTORY_STOCK)
        .where(INVENTORY_STOCK.SKU.eq(sku))
        .fetchOptional(INVENTORY_STOCK.AVAILABLE);
  }

  /** Sorted by SKU: the lock order that keeps concurrent reservations free of deadlocks. */
  private static Map<String, Integer> quantitiesBySku(List<OrderLine> lines) {
    Map<String, Integer> bySku = new TreeMap<>();
    for (OrderLine line : lines) {
      bySku.merge(line.sku(), line.quantity(), Integer::sum);
    }
    return bySku;
  }

  private static String reservationId(IdempotencyKey reserveKey) {
    return "res_" + reserveKey.digest().substring("sha256:".length(), "sha256:".length() + 16);
  }
}
