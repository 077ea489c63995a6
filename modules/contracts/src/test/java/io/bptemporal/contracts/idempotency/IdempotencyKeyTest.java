package io.bptemporal.contracts.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bptemporal.contracts.json.ContractJson;
import io.bptemporal.contracts.ordersaga.OrderEffect;
import io.temporal.activity.ActivityInfo;
import java.lang.reflect.Proxy;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

  private static final String RUN_1 = "7f5e8d1c-3b2a-4c6d-9e8f-0a1b2c3d4e5f";
  private static final String RUN_2 = "0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f";

  @Test
  void businessKeyIsScopePlusKey() {
    assertThat(IdempotencyKey.ofBusinessKey("payment.charge", "o-1001").value())
        .isEqualTo("payment.charge/o-1001");
    assertThat(OrderEffect.CHARGE_PAYMENT.key("o-1001"))
        .isEqualTo(IdempotencyKey.ofBusinessKey("payment.charge", "o-1001"));
    assertThat(OrderEffect.REFUND_PAYMENT.key("o-1001"))
        .isNotEqualTo(OrderEffect.CHARGE_PAYMENT.key("o-1001"));
  }

  @Test
  void activityKeyIsTheSameForEveryRetryOfOneExecution() {
    // Attempts 1 and 3 of the same activity execution: same workflow, run and activity ID.
    ActivityInfo attempt1 = activityInfo("order:o-1001", RUN_1, "5", 1);
    ActivityInfo attempt3 = activityInfo("order:o-1001", RUN_1, "5", 3);

    assertThat(IdempotencyKey.ofActivity(attempt1)).isEqualTo(IdempotencyKey.ofActivity(attempt3));
    assertThat(IdempotencyKey.ofActivity(attempt1).value())
        .isEqualTo("activity/order:o-1001/" + RUN_1 + "/5");
  }

  @Test
  void activityKeyDiffersAcrossRunsBecauseActivityIdsRestartInEachRun() {
    // After a reset or continue-as-new, activity "5" of the new run is a different call.
    assertThat(IdempotencyKey.ofActivity("order:o-1001", RUN_1, "5"))
        .isNotEqualTo(IdempotencyKey.ofActivity("order:o-1001", RUN_2, "5"));
  }

  @Test
  void encodingKeepsDifferentInputsApart() {
    List<IdempotencyKey> keys =
        List.of(
            IdempotencyKey.ofActivity("a/b", "r", "c"),
            IdempotencyKey.ofActivity("a", "b/r", "c"),
            IdempotencyKey.ofActivity("a", "b", "r/c"),
            IdempotencyKey.ofBusinessKey("s", "a/b"),
            IdempotencyKey.ofBusinessKey("s", "a%2Fb"),
            IdempotencyKey.ofBusinessKey("s", "a b"),
            IdempotencyKey.ofBusinessKey("s", "a+b"));
    Set<IdempotencyKey> distinct = new HashSet<>(keys);
    assertThat(distinct).hasSameSizeAs(keys);
    assertThat(IdempotencyKey.ofBusinessKey("s", "a/b").value()).isEqualTo("s/a%2Fb");
    assertThat(IdempotencyKey.ofBusinessKey("s", "a%2Fb").value()).isEqualTo("s/a%252Fb");
    assertThat(IdempotencyKey.ofBusinessKey("mail.send", "kunde@beispiel.de/Grüße").value())
        .isEqualTo("mail.send/kunde%40beispiel.de%2FGr%C3%BC%C3%9Fe");
  }

  @Test
  void digestIsStableAndShort() {
    IdempotencyKey key = IdempotencyKey.ofBusinessKey("payment.charge", "o-1001");
    assertThat(key.digest())
        .hasSize(71)
        .startsWith("sha256:")
        .isEqualTo(IdempotencyKey.ofBusinessKey("payment.charge", "o-1001").digest())
        .isNotEqualTo(IdempotencyKey.ofBusinessKey("payment.charge", "o-1002").digest());
  }

  @Test
  void keyTravelsAsAPlainJsonString() throws Exception {
    ObjectMapper mapper = ContractJson.newObjectMapper();
    IdempotencyKey key = IdempotencyKey.ofBusinessKey("payment.charge", "o-1001");
    assertThat(mapper.writeValueAsString(key)).isEqualTo("\"payment.charge/o-1001\"");
    assertThat(mapper.readValue("\"payment.charge/o-1001\"", IdempotencyKey.class)).isEqualTo(key);
  }

  @Test
  void badScopesAndPartsAreRejectedWithWhatIsAccepted() {
    assertThatThrownBy(() -> IdempotencyKey.ofBusinessKey("Payment", "o-1"))
        .hasMessage(
            "idempotency scope 'Payment' is not valid; accepted: " + IdempotencyKey.SCOPE_ACCEPTED);
    assertThatThrownBy(() -> IdempotencyKey.ofBusinessKey("activity", "o-1"))
        .hasMessageContaining("\"activity\" is reserved");
    assertThatThrownBy(() -> IdempotencyKey.ofBusinessKey("payment.charge", ""))
        .hasMessage("business key of an idempotency key must not be empty");
    assertThatThrownBy(() -> IdempotencyKey.ofActivity("w".repeat(256), RUN_1, "1"))
        .hasMessage(
            "workflow ID of an idempotency key is 256 bytes long; accepted: at most 255 bytes of UTF-8");
    assertThatThrownBy(() -> new IdempotencyKey("no separator"))
        .hasMessageStartingWith("idempotency key 'no separator' is not valid");
    assertThatThrownBy(() -> IdempotencyKey.ofActivity(activityInfoOutsideWorkflow()))
        .hasMessageContaining("runs outside a workflow");
  }

  private static ActivityInfo activityInfo(
      String workflowId, String runId, String activityId, int attempt) {
    return proxy(
        Map.of(
            "getWorkflowId",
            workflowId,
            "getWorkflowRunId",
            runId,
            "getActivityId",
            activityId,
            "getAttempt",
            attempt,
            "isInWorkflow",
            true,
            "getActivityType",
            "ChargePayment"));
  }

  private static ActivityInfo activityInfoOutsideWorkflow() {
    return proxy(
        Map.of(
            "getActivityId", "standalone-1", "getActivityType", "Export", "isInWorkflow", false));
  }

  /** ActivityInfo is an SDK interface with ~25 methods; the key reads only a few of them. */
  private static ActivityInfo proxy(Map<String, Object> answers) {
    return (ActivityInfo)
        Proxy.newProxyInstance(
            ActivityInfo.class.getClassLoader(),
            new Class<?>[] {ActivityInfo.class},
            (self, method, args) -> {
              if (!answers.containsKey(method.getName())) {
                throw new UnsupportedOperationException(
                    "IdempotencyKey should not need " + method.getName());
              }
              return answers.get(method.getName());
            });
  }
}
