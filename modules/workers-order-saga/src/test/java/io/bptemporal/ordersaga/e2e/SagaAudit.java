package io.bptemporal.ordersaga.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.bptemporal.contracts.ordersaga.CompensationStep;
import io.bptemporal.contracts.ordersaga.OrderOutcome;
import io.bptemporal.contracts.ordersaga.OrderResult;
import io.bptemporal.contracts.ordersaga.OrderSagaOutcomes;
import io.bptemporal.ordersaga.e2e.SagaMix.Saga;
import io.bptemporal.ordersaga.inventory.InventoryReservations;
import io.bptemporal.ordersaga.payment.PaymentProviderStub;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jooq.DSLContext;

/**
 * What the crash and fault tests count once the sagas of a {@link SagaMix} have run through
 * failures: how each ended (from Temporal), and what the database and the payment provider show —
 * no effect twice, money and stock balanced. {@link #assertNothingLostOrDoubled} is the verdict.
 */
final class SagaAudit {
  private SagaAudit() {}

  /** How the sagas ended: a result, none within the deadline (stuck), or no saga result at all. */
  record Drained(Map<String, OrderResult> ended, List<String> stuck, List<String> broken) {}

  /**
   * Waits, within {@code deadline} for all of them, for every saga's result. A refused or cancelled
   * order is a failed saga carrying its OrderResult (docs/contracts.md, "Errors").
   */
  static Drained drain(WorkflowClient client, List<Saga> sagas, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    Map<String, OrderResult> ended = new LinkedHashMap<>();
    List<String> stuck = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    for (Saga saga : sagas) {
      long left = Math.max(1, end - System.nanoTime());
      try {
        ended.put(
            saga.orderId(),
            client
                .newUntypedWorkflowStub(saga.workflowId())
                .getResult(left, TimeUnit.NANOSECONDS, OrderResult.class));
      } catch (TimeoutException e) {
        stuck.add(saga.orderId());
      } catch (WorkflowFailedException e) {
        Optional<OrderResult> refused = OrderSagaOutcomes.fromFailure(e);
        if (refused.isPresent()) {
          ended.put(saga.orderId(), refused.get());
        } else {
          broken.add(saga.orderId() + ": " + e.getCause());
        }
      }
    }
    return new Drained(ended, stuck, broken);
  }

  static final class Report {
    final SagaMix mix;
    final Drained drained;
    int completed;
    int compensated;
    int normalCompleted;
    int scarceCompleted;
    int scarceCompensated;
    int declinedCompensated;
    int cancelledCancelled;
    int cancelledCompleted;
    long retriedAttempts;
    long timedOutWorkflowTasks;
    long duplicateCharges;
    long providerChargedTwice;
    long duplicateReservations;
    long duplicateNotifications;
    long unbalancedOrders;
    long unbalancedSkus;
    long notificationsForIncomplete;
    long completedWithoutNotification;
    final Map<String, Integer> tasksByWorker = new TreeMap<>();

    /**
     * When each saga started and closed, by the server's clock (its first and last history events).
     */
    final List<Instant> startTimes = new ArrayList<>();

    final List<Instant> closeTimes = new ArrayList<>();

    /** Sagas started and not yet closed at {@code moment}. */
    long openAt(Instant moment) {
      long open = 0;
      for (int i = 0; i < startTimes.size(); i++) {
        open += !startTimes.get(i).isAfter(moment) && closeTimes.get(i).isAfter(moment) ? 1 : 0;
      }
      return open;
    }

    /** The first saga that closed after {@code moment}, if any. */
    Optional<Instant> firstCloseAfter(Instant moment) {
      return closeTimes.stream().filter(t -> t.isAfter(moment)).min(Instant::compareTo);
    }

    Report(SagaMix mix, Drained drained) {
      this.mix = mix;
      this.drained = drained;
    }

    /**
     * Sagas that did not end as their kind must: stuck, without a saga result, or with an outcome
     * their kind does not allow (e.g. a normal order not completed, more scarce orders completed
     * than there was stock).
     */
    long lost() {
      long wrongEnds =
          (mix.normal() - normalCompleted)
              + (mix.scarce() - scarceCompleted - scarceCompensated)
              + Math.max(0, scarceCompleted - mix.scarceStock())
              + (mix.declined() - declinedCompensated)
              + (mix.cancelled() - cancelledCancelled - cancelledCompleted);
      // A stuck saga, or one without a saga result, counts in no kind: it is a wrong end too.
      return wrongEnds;
    }

    /** Orders with an effect that happened twice: a charge, a reservation or a confirmation. */
    long duplicated() {
      return duplicateCharges
          + providerChargedTwice
          + duplicateReservations
          + duplicateNotifications;
    }

    /** The counts, one line each, for the test's output. */
    String summary(PaymentProviderStub provider) {
      return """
          sagas: %d started, %d completed, %d compensated (failed), %d cancelled, %d stuck, %d ended abnormally
            normal: %d/%d completed · scarce (%d in stock): %d completed, %d compensated · declined: %d/%d compensated · cancel signal: %d cancelled, %d completed (signal after the point of no return)
          recovery: %d activity attempts retried, %d workflow tasks timed out (lost with a killed worker or server)
          tasks per worker process (workflow + activity tasks started): %s
          duplicates: charges %d (ledger) / %d (provider: orders charged under more than one payment) · reservations %d · notifications %d
          balance: orders whose money does not add up %d · SKUs whose stock does not add up %d · notifications for orders not completed %d · completed orders without one %d
          provider: %d requests, %d idempotency keys, %d requests repeated a key (answered from the first call)"""
          .formatted(
              mix.total(),
              completed,
              compensated,
              cancelledCancelled,
              drained.stuck().size(),
              drained.broken().size(),
              normalCompleted,
              mix.normal(),
              mix.scarceStock(),
              scarceCompleted,
              scarceCompensated,
              declinedCompensated,
              mix.declined(),
              cancelledCancelled,
              cancelledCompleted,
              retriedAttempts,
              timedOutWorkflowTasks,
              tasksByWorker,
              duplicateCharges,
              providerChargedTwice,
              duplicateReservations,
              duplicateNotifications,
              unbalancedOrders,
              unbalancedSkus,
              notificationsForIncomplete,
              completedWithoutNotification,
              provider.requests(),
              provider.idempotencyKeys().stream().distinct().count(),
              provider.idempotencyKeys().size()
                  - provider.idempotencyKeys().stream().distinct().count());
    }
  }

  static Report report(
      SagaMix mix,
      List<Saga> sagas,
      Drained drained,
      WorkflowClient client,
      DSLContext sql,
      PaymentProviderStub provider,
      Map<String, Integer> stockBefore,
      InventoryReservations inventory) {
    Report report = new Report(mix, drained);
    for (Saga saga : sagas) {
      OrderResult result = drained.ended().get(saga.orderId());
      if (result == null) {
        continue;
      }
      boolean completed = result.outcome() == OrderOutcome.COMPLETED;
      List<CompensationStep> run = result.compensationsRun();
      boolean compensated =
          result.outcome() == OrderOutcome.FAILED
              && !run.isEmpty()
              && run.get(run.size() - 1) == CompensationStep.CANCEL_ORDER;
      // A cancel accepted before the first step leaves nothing to compensate; after it, the
      // compensations end with cancelling the order.
      boolean cancelled =
          result.outcome() == OrderOutcome.CANCELLED
              && (run.isEmpty() || run.get(run.size() - 1) == CompensationStep.CANCEL_ORDER);
      report.completed += completed ? 1 : 0;
      report.compensated += compensated ? 1 : 0;
      switch (saga.kind()) {
        case NORMAL -> report.normalCompleted += completed ? 1 : 0;
        case SCARCE -> {
          report.scarceCompleted += completed ? 1 : 0;
          report.scarceCompensated +=
              compensated
                      && run.equals(
                          List.of(CompensationStep.REFUND_PAYMENT, CompensationStep.CANCEL_ORDER))
                  ? 1
                  : 0;
        }
        case DECLINED ->
            report.declinedCompensated +=
                compensated && run.equals(List.of(CompensationStep.CANCEL_ORDER)) ? 1 : 0;
        case CANCELLED -> {
          report.cancelledCancelled += cancelled ? 1 : 0;
          report.cancelledCompleted += completed ? 1 : 0;
        }
      }
      List<HistoryEvent> events = client.fetchHistory(saga.workflowId()).getEvents();
      report.startTimes.add(timeOf(events.get(0)));
      report.closeTimes.add(timeOf(events.get(events.size() - 1)));
      for (HistoryEvent event : events) {
        if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
            && event.getActivityTaskStartedEventAttributes().getAttempt() > 1) {
          report.retriedAttempts++;
        }
        if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
          report.tasksByWorker.merge(
              event.getWorkflowTaskStartedEventAttributes().getIdentity(), 1, Integer::sum);
        }
        if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
          report.tasksByWorker.merge(
              event.getActivityTaskStartedEventAttributes().getIdentity(), 1, Integer::sum);
        }
        if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT) {
          report.timedOutWorkflowTasks++;
        }
      }
    }
    List<String> orderIds = sagas.stream().map(Saga::orderId).toList();
    report.providerChargedTwice = provider.ordersChargedMoreThanOnce();
    report.duplicateCharges =
        count(
            sql,
            """
                select count(*) from (select order_id from payment_ledger where entry_kind = 'CHARGE' and order_id = any(?)
                group by order_id having count(*) > 1) d""",
            orderIds);
    report.duplicateReservations =
        count(
            sql,
            """
                select count(*) from (select order_id from inventory_reservations where order_id = any(?)
                group by order_id having count(*) > 1) d""",
            orderIds);
    report.duplicateNotifications =
        count(
            sql,
            """
                select count(*) from (select order_id from notification_outbox where order_id = any(?)
                group by order_id having count(*) > 1) d""",
            orderIds);
    // Money: what the ledger kept of each order must be its total if it completed, nothing
    // otherwise.
    for (Saga saga : sagas) {
      String orderId = saga.orderId();
      OrderResult result = drained.ended().get(orderId);
      long expected =
          result != null && result.outcome() == OrderOutcome.COMPLETED
              ? saga.order().totalCents()
              : 0;
      long kept =
          count(
              sql,
              """
                    select coalesce(sum(case entry_kind when 'CHARGE' then amount_cents when 'REFUND' then -amount_cents else 0 end), 0)
                    from payment_ledger where order_id = ?""",
              orderId);
      Optional<Long> atProvider =
          Optional.ofNullable(provider.chargesByOrder().get(orderId)).map(s -> (long) s.size());
      long providerRefunds =
          Optional.ofNullable(provider.refundsByOrder().get(orderId))
              .map(s -> (long) s.size())
              .orElse(0L);
      long providerNet = atProvider.orElse(0L) - providerRefunds;
      if (kept != expected || providerNet != (expected > 0 ? 1 : 0)) {
        report.unbalancedOrders++;
        System.out.println(
            "unbalanced: "
                + orderId
                + " kept "
                + kept
                + ", expected "
                + expected
                + ", provider charges "
                + atProvider.orElse(0L)
                + " refunds "
                + providerRefunds);
      }
      boolean notified =
          count(sql, "select count(*) from notification_outbox where order_id = ?", orderId) > 0;
      boolean completed = result != null && result.outcome() == OrderOutcome.COMPLETED;
      report.notificationsForIncomplete += notified && !completed ? 1 : 0;
      report.completedWithoutNotification += completed && !notified ? 1 : 0;
    }
    // Stock: what this run took from each SKU must be exactly what its active reservations hold.
    Set<String> skus = stockBefore.keySet();
    for (String sku : skus) {
      long reserved =
          ((Number)
                  sql.fetchValue(
                      """
                    select coalesce(sum(l.quantity), 0) from inventory_reservation_lines l
                    join inventory_reservations r on r.reservation_id = l.reservation_id
                    where l.sku = ? and r.status = 'RESERVED' and r.order_id = any(?)""",
                      sku,
                      orderIds.toArray(String[]::new)))
              .longValue();
      long available = inventory.available(sku).orElseThrow();
      if (stockBefore.get(sku) - available != reserved) {
        report.unbalancedSkus++;
        System.out.println(
            "unbalanced stock: "
                + sku
                + " before "
                + stockBefore.get(sku)
                + ", now "
                + available
                + ", reserved "
                + reserved);
      }
    }
    return report;
  }

  /**
   * The verdict: every saga ended as its kind must (none stuck), no effect happened twice, money
   * and stock balance, and a confirmation exists for exactly the completed orders.
   */
  static void assertNothingLostOrDoubled(Report report, Duration drainDeadline) {
    SagaMix mix = report.mix;
    assertThat(report.drained.stuck()).as("sagas not ended within " + drainDeadline).isEmpty();
    assertThat(report.drained.broken()).as("sagas that ended without a result").isEmpty();
    assertThat(report.normalCompleted).as("normal orders completed").isEqualTo(mix.normal());
    assertThat(report.scarceCompleted)
        .as("scarce orders completed (stock " + mix.scarceStock() + ")")
        .isEqualTo(Math.min(mix.scarce(), mix.scarceStock()));
    assertThat(report.scarceCompensated)
        .as("scarce orders compensated")
        .isEqualTo(Math.max(0, mix.scarce() - mix.scarceStock()));
    assertThat(report.declinedCompensated)
        .as("declined orders compensated")
        .isEqualTo(mix.declined());
    assertThat(report.cancelledCancelled + report.cancelledCompleted)
        .as("orders sent a cancel signal that ended cancelled or (signal too late) completed")
        .isEqualTo(mix.cancelled());
    assertThat(report.duplicateCharges).as("orders charged twice in the ledger").isZero();
    assertThat(report.providerChargedTwice).as("orders charged twice at the provider").isZero();
    assertThat(report.duplicateReservations).as("orders with two reservations").isZero();
    assertThat(report.duplicateNotifications).as("orders with two confirmations").isZero();
    assertThat(report.unbalancedOrders)
        .as("orders whose charges minus refunds differ from their outcome")
        .isZero();
    assertThat(report.unbalancedSkus)
        .as("SKUs whose stock differs from seeded minus reserved")
        .isZero();
    assertThat(report.notificationsForIncomplete).isZero();
    assertThat(report.completedWithoutNotification).isZero();
  }

  private static Instant timeOf(HistoryEvent event) {
    return Instant.ofEpochSecond(
        event.getEventTime().getSeconds(), event.getEventTime().getNanos());
  }

  private static long count(DSLContext sql, String query, Object argument) {
    Object bind = argument instanceof List<?> list ? list.toArray(String[]::new) : argument;
    return ((Number) sql.fetchValue(query, bind)).longValue();
  }
}
