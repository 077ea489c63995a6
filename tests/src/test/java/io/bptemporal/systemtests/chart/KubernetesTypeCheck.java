package io.bptemporal.systemtests.chart;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "Every rendered object parses as its Kubernetes type with unknown fields rejected".
 *
 * <p>Built-in kinds map to the Fabric8 model (generated from the Kubernetes OpenAPI). Fabric8
 * classes keep fields they do not know in an {@code additionalProperties} map instead of failing,
 * so after binding the whole object graph is walked and any non-empty {@code additionalProperties}
 * is reported with its path. Custom resources map to the records in {@link CustomResources}.
 * Scalars are not coerced (a number where the API wants a string is an error there too).
 */
final class KubernetesTypeCheck {

  private static final Map<String, Class<?>> TYPES =
      Map.ofEntries(
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/Pod", Pod.class),
          Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("batch/v1/Job", Job.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry(
              "autoscaling/v2/HorizontalPodAutoscaler",
              io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
          Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
          Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
          Map.entry("postgresql.cnpg.io/v1/Cluster", CustomResources.CnpgCluster.class),
          Map.entry("postgresql.cnpg.io/v1/Database", CustomResources.CnpgDatabase.class),
          Map.entry(
              "postgresql.cnpg.io/v1/ScheduledBackup", CustomResources.CnpgScheduledBackup.class),
          Map.entry(
              "monitoring.coreos.com/v1/ServiceMonitor", CustomResources.ServiceMonitor.class),
          Map.entry("monitoring.coreos.com/v1/PodMonitor", CustomResources.PodMonitor.class),
          Map.entry(
              "monitoring.coreos.com/v1/PrometheusRule", CustomResources.PrometheusRule.class),
          Map.entry("cert-manager.io/v1/Certificate", CustomResources.Certificate.class),
          Map.entry("cert-manager.io/v1/Issuer", CustomResources.Issuer.class));

  private static final ObjectMapper MAPPER = strictMapper();

  private KubernetesTypeCheck() {}

  private static ObjectMapper strictMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();
    // The API server rejects 5432 where a string is declared (labels, annotations, env values, CNPG
    // parameters).
    for (CoercionInputShape shape :
        List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    return mapper;
  }

  static Set<String> knownTypes() {
    return TYPES.keySet();
  }

  /** Problems found in one object; empty when it binds to its type with nothing left over. */
  static List<String> problems(RenderedManifest.RenderedObject object) {
    String key = object.apiVersion() + "/" + object.kind();
    Class<?> type = TYPES.get(key);
    if (type == null) {
      return List.of(
          object.id()
              + ": no type registered for "
              + key
              + " (add it to KubernetesTypeCheck with its schema)");
    }
    Object bound;
    try {
      bound = MAPPER.treeToValue(object.body(), type);
    } catch (Exception e) {
      return List.of(
          object.id()
              + ": does not parse as "
              + key
              + ": "
              + e.getMessage().lines().findFirst().orElse(""));
    }
    List<String> problems = new ArrayList<>();
    collectUnknown(bound, "", problems, Collections.newSetFromMap(new IdentityHashMap<>()));
    return problems.stream().map(p -> object.id() + ": unknown field " + p).toList();
  }

  private static void collectUnknown(
      Object value, String path, List<String> problems, Set<Object> seen) {
    if (value == null
        || value instanceof CharSequence
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Enum<?>
        || !seen.add(value)) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collectUnknown(v, path + "." + k, problems, seen));
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        collectUnknown(item, path + "[" + i++ + "]", problems, seen);
      }
      return;
    }
    Class<?> type = value.getClass();
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        try {
          collectUnknown(
              component.getAccessor().invoke(value),
              path + "." + component.getName(),
              problems,
              seen);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return;
    }
    if (!type.getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        Object fieldValue;
        try {
          fieldValue = field.get(value);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
        if (field.getName().equals("additionalProperties")) {
          if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
            problems.add((path.isEmpty() ? "." : path) + " " + extra.keySet());
          }
        } else {
          collectUnknown(fieldValue, path + "." + field.getName(), problems, seen);
        }
      }
    }
  }

  /** Binds an object to its record type (for assertions on custom resources). */
  static <T> T bind(RenderedManifest.RenderedObject object, Class<T> type) {
    try {
      return MAPPER.treeToValue(object.body(), type);
    } catch (Exception e) {
      throw new AssertionError(
          object.id() + " does not bind to " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
