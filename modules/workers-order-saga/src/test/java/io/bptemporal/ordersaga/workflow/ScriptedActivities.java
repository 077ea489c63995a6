package io.bptemporal.ordersaga.workflow;

import io.bptemporal.contracts.ordersaga.CancelOrder;
import io.bptemporal.contracts.ordersaga.ChargePayment;
import io.bptemporal.contracts.ordersaga.CompensationResult;
import io.bptemporal.contracts.ordersaga.CompensationStep;
import io.bptemporal.contracts.ordersaga.ConfirmationSent;
import io.bptemporal.contracts.ordersaga.InventoryReservation;
import io.bptemporal.contracts.ordersaga.OrderActivities;
import io.bptemporal.contracts.ordersaga.OrderCreated;
import io.bptemporal.contracts.ordersaga.PaymentReceipt;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.contracts.ordersaga.RefundPayment;
import io.bptemporal.contracts.ordersaga.ReleaseInventory;
import io.bptemporal.contracts.ordersaga.ReserveInventory;
import io.bptemporal.contracts.ordersaga.SendConfirmation;
import io.bptemporal.ordersaga.BusinessFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mocked activities for the workflow unit tests: every call is recorded (activity type, in order),
 * and each activity type can be scripted to refuse with a business failure, to fail with an
 * infrastructure error a number of times (or always), or to block until the test lets it go.
 */
final class ScriptedActivities implements OrderActivities {
  private final List<String> calls = new ArrayList<>();
  private final List<Object> requests = new ArrayList<>();
  private final Map<String, BusinessFailure> refusals = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> infraFailuresLeft = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> entered = new ConcurrentHashMap<>();
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

  ScriptedActivities refuse(String activityType, BusinessFailure failure) {
    refusals.put(activityType, failure);
    return this;
  }

  /**
   * The next {@code times} attempts fail like a database or provider outage; Integer.MAX_VALUE =
   * always.
   */
  ScriptedActivities failInfrastructure(String activityType, int times) {
    infraFailuresLeft.put(activityType, new AtomicInteger(times));
    return this;
  }

  /**
   * Holds the activity until {@link #release(String)}; {@link #awaitEntered(String)} waits until it
   * runs.
   */
  ScriptedActivities block(String activityType) {
    entered.put(activityType, new CountDownLatch(1));
    gates.put(activityType, new CountDownLatch(1));
    return this;
  }

  void awaitEntered(String activityType) throws InterruptedException {
    // A bound, not a delay: on a loaded CI machine the test environment took more than 10 s to get
    // here.
    if (!entered.get(activityType).await(2, TimeUnit.MINUTES)) {
      throw new AssertionError(
          activityType + " did not start within 2 minutes; calls so far: " + calls());
    }
  }

  void release(String activityType) {
    gates.get(activityType).countDown();
  }

  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /**
   * Calls without repeated attempts: each activity type once per run of it, in order of first call.
   */
  synchronized List<String> distinctCalls() {
    List<String> distinct = new ArrayList<>();
    for (String call : calls) {
      if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(call)) {
        distinct.add(call);
      }
    }
    return distinct;
  }

  synchronized <T> T request(Class<T> type) {
    return requests.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + type.getSimpleName() + " was sent; calls: " + calls));
  }

  synchronized long attempts(String activityType) {
    return calls.stream().filter(activityType::equals).count();
  }

  private void enter(String activityType, Object request) {
    synchronized (this) {
      calls.add(activityType);
      requests.add(request);
    }
    CountDownLatch started = entered.get(activityType);
    if (started != null) {
      started.countDown();
      try {
        if (!gates.get(activityType).await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException(activityType + " was never released by the test");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    AtomicInteger left = infraFailuresLeft.get(activityType);
    if (left != null && left.getAndDecrement() > 0) {
      throw new IllegalStateException("connection to the orders database refused (scripted)");
    }
    BusinessFailure refusal = refusals.get(activityType);
    if (refusal != null) {
      throw refusal.failure(activityType + " refused (scripted)");
    }
  }

  @Override
  public OrderCreated createOrder(PlaceOrder order) {
    enter("CreateOrder", order);
    return new OrderCreated(order.orderId(), order.totalCents());
  }

  @Override
  public PaymentReceipt chargePayment(ChargePayment request) {
    enter("ChargePayment", request);
    return new PaymentReceipt(
        request.orderId(), "pay_1", request.amountCents(), request.currency());
  }

  @Override
  public InventoryReservation reserveInventory(ReserveInventory request) {
    enter("ReserveInventory", request);
    return new InventoryReservation(request.orderId(), "res_1");
  }

  @Override
  public ConfirmationSent sendConfirmation(SendConfirmation request) {
    enter("SendConfirmation", request);
    return new ConfirmationSent(request.orderId(), "msg_1");
  }

  @Override
  public CompensationResult refundPayment(RefundPayment request) {
    enter("RefundPayment", request);
    return new CompensationResult(request.orderId(), CompensationStep.REFUND_PAYMENT, true);
  }

  @Override
  public CompensationResult releaseInventory(ReleaseInventory request) {
    enter("ReleaseInventory", request);
    return new CompensationResult(request.orderId(), CompensationStep.RELEASE_INVENTORY, true);
  }

  @Override
  public CompensationResult cancelOrder(CancelOrder request) {
    enter("CancelOrder", request);
    return new CompensationResult(request.orderId(), CompensationStep.CANCEL_ORDER, true);
  }
}
