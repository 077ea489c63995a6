package io.bptemporal.systemtests.chart;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed views of the custom resources the chart renders, written from the CRD references of
 * CloudNativePG 1.30 (postgresql.cnpg.io/v1) and the Prometheus Operator
 * (monitoring.coreos.com/v1). Only the fields the chart may set exist here; read with unknown
 * properties rejected, a misspelt or misplaced field fails the suite instead of being silently
 * pruned by the API server. Compact constructors check required fields and enumerations.
 */
final class CustomResources {

  private CustomResources() {}

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  static void oneOf(String field, String value, Set<String> allowed) {
    require(
        value == null || allowed.contains(value),
        field + " is '" + value + "', accepted: " + allowed);
  }

  // ---- postgresql.cnpg.io/v1 Cluster

  record CnpgCluster(String apiVersion, String kind, ObjectMeta metadata, ClusterSpec spec) {
    CnpgCluster {
      require(spec != null, "Cluster.spec is required");
    }
  }

  record ClusterSpec(
      Integer instances,
      String imageName,
      InheritedMetadata inheritedMetadata,
      String primaryUpdateStrategy,
      Boolean enableSuperuserAccess,
      PostgresConfiguration postgresql,
      Bootstrap bootstrap,
      Storage storage,
      ResourceRequirements resources,
      ClusterAffinity affinity,
      List<PluginConfiguration> plugins,
      ManagedConfiguration managed) {
    ClusterSpec {
      require(instances != null && instances >= 1, "spec.instances must be >= 1, is " + instances);
      require(storage != null && storage.size() != null, "spec.storage.size is required");
      oneOf(
          "spec.primaryUpdateStrategy",
          primaryUpdateStrategy,
          Set.of("unsupervised", "supervised"));
    }
  }

  /**
   * spec.managed of CNPG 1.30: the roles the operator keeps in step (fields as the CRD's
   * RoleConfiguration).
   */
  record ManagedConfiguration(List<RoleConfiguration> roles) {}

  record RoleConfiguration(
      String name,
      String comment,
      String ensure,
      Boolean login,
      Boolean superuser,
      Boolean createdb,
      Boolean createrole,
      Boolean replication,
      Boolean bypassrls,
      Boolean inherit,
      Integer connectionLimit,
      String validUntil,
      List<String> inRoles,
      Boolean disablePassword,
      LocalObjectReference passwordSecret) {
    RoleConfiguration {
      require(name != null, "spec.managed.roles[].name is required");
      oneOf("spec.managed.roles[].ensure", ensure, Set.of("present", "absent"));
    }
  }

  record InheritedMetadata(Map<String, String> labels, Map<String, String> annotations) {}

  record PostgresConfiguration(Map<String, String> parameters) {}

  record Bootstrap(InitDb initdb) {}

  record InitDb(String database, String owner, LocalObjectReference secret) {
    InitDb {
      require(database != null && owner != null, "spec.bootstrap.initdb needs database and owner");
    }
  }

  record LocalObjectReference(String name) {
    LocalObjectReference {
      require(name != null && !name.isBlank(), "a reference needs a name");
    }
  }

  record Storage(String size, String storageClass) {}

  record ClusterAffinity(
      Boolean enablePodAntiAffinity, String topologyKey, String podAntiAffinityType) {
    ClusterAffinity {
      oneOf(
          "spec.affinity.podAntiAffinityType",
          podAntiAffinityType,
          Set.of("preferred", "required"));
    }
  }

  record PluginConfiguration(
      String name, Boolean enabled, Boolean isWALArchiver, Map<String, String> parameters) {
    PluginConfiguration {
      require(name != null, "spec.plugins[].name is required");
    }
  }

  // ---- postgresql.cnpg.io/v1 Database

  record CnpgDatabase(String apiVersion, String kind, ObjectMeta metadata, DatabaseSpec spec) {
    CnpgDatabase {
      require(spec != null, "Database.spec is required");
    }
  }

  record DatabaseSpec(
      String name,
      String owner,
      LocalObjectReference cluster,
      String ensure,
      String databaseReclaimPolicy,
      List<Extension> extensions,
      List<Schema> schemas) {
    DatabaseSpec {
      require(
          name != null && owner != null && cluster != null,
          "Database.spec needs name, owner and cluster.name");
      oneOf("spec.ensure", ensure, Set.of("present", "absent"));
      oneOf("spec.databaseReclaimPolicy", databaseReclaimPolicy, Set.of("retain", "delete"));
    }
  }

  record Extension(String name, String ensure, String version, String schema) {
    Extension {
      require(name != null, "spec.extensions[].name is required");
      oneOf("spec.extensions[].ensure", ensure, Set.of("present", "absent"));
    }
  }

  record Schema(String name, String owner, String ensure) {
    Schema {
      require(name != null, "spec.schemas[].name is required");
      oneOf("spec.schemas[].ensure", ensure, Set.of("present", "absent"));
    }
  }

  // ---- postgresql.cnpg.io/v1 ScheduledBackup

  record CnpgScheduledBackup(
      String apiVersion, String kind, ObjectMeta metadata, ScheduledBackupSpec spec) {
    CnpgScheduledBackup {
      require(spec != null, "ScheduledBackup.spec is required");
    }
  }

  record ScheduledBackupSpec(
      String schedule,
      Boolean immediate,
      Boolean suspend,
      String backupOwnerReference,
      LocalObjectReference cluster,
      String method,
      PluginRef pluginConfiguration,
      String target) {
    ScheduledBackupSpec {
      require(
          schedule != null && schedule.trim().split("\\s+").length == 6,
          "spec.schedule must have six cron fields (seconds first), is " + schedule);
      require(cluster != null, "spec.cluster.name is required");
      oneOf("spec.method", method, Set.of("barmanObjectStore", "volumeSnapshot", "plugin"));
      oneOf("spec.backupOwnerReference", backupOwnerReference, Set.of("none", "self", "cluster"));
      require(
          !"plugin".equals(method) || pluginConfiguration != null,
          "method plugin needs spec.pluginConfiguration");
    }
  }

  record PluginRef(String name, Map<String, String> parameters) {}

  // ---- monitoring.coreos.com/v1

  record ServiceMonitor(
      String apiVersion, String kind, ObjectMeta metadata, ServiceMonitorSpec spec) {}

  record ServiceMonitorSpec(
      String jobLabel,
      LabelSelector selector,
      NamespaceSelector namespaceSelector,
      List<Endpoint> endpoints) {
    ServiceMonitorSpec {
      require(selector != null, "ServiceMonitor.spec.selector is required");
      require(
          endpoints != null && !endpoints.isEmpty(),
          "ServiceMonitor.spec.endpoints must not be empty");
    }
  }

  record Endpoint(String port, String path, String interval, String scrapeTimeout, String scheme) {
    Endpoint {
      require(port != null, "endpoints[].port is required (the chart scrapes named ports)");
    }
  }

  record PodMonitor(String apiVersion, String kind, ObjectMeta metadata, PodMonitorSpec spec) {}

  record PodMonitorSpec(
      String jobLabel,
      LabelSelector selector,
      NamespaceSelector namespaceSelector,
      List<Endpoint> podMetricsEndpoints) {
    PodMonitorSpec {
      require(selector != null, "PodMonitor.spec.selector is required");
      require(
          podMetricsEndpoints != null && !podMetricsEndpoints.isEmpty(),
          "PodMonitor.spec.podMetricsEndpoints must not be empty");
    }
  }

  record NamespaceSelector(Boolean any, List<String> matchNames) {}

  record PrometheusRule(
      String apiVersion, String kind, ObjectMeta metadata, PrometheusRuleSpec spec) {}

  record PrometheusRuleSpec(List<RuleGroup> groups) {
    PrometheusRuleSpec {
      require(groups != null && !groups.isEmpty(), "PrometheusRule.spec.groups must not be empty");
    }
  }

  record RuleGroup(String name, String interval, List<Rule> rules) {
    RuleGroup {
      require(name != null && rules != null, "groups[] need name and rules");
    }
  }

  record Rule(
      String alert,
      String record,
      String expr,
      @JsonProperty("for") String forDuration,
      Map<String, String> labels,
      Map<String, String> annotations) {
    Rule {
      require(expr != null && !expr.isBlank(), "rules[].expr is required");
      require((alert == null) != (record == null), "rules[] need exactly one of alert and record");
    }
  }
}
