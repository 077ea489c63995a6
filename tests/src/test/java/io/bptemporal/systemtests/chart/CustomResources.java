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
 * CloudNativePG 1.30 (postgresql.cnpg.io/v1), the Prometheus Operator (monitoring.coreos.com/v1)
 * and cert-manager 1.17 (cert-manager.io/v1). Only the fields the chart may set exist here; read
 * with unknown properties rejected, a misspelt or misplaced field fails the suite instead of being
 * silently pruned by the API server. Compact constructors check required fields and enumerations.
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

  // ---- cert-manager.io/v1 (cert-manager 1.17 API reference)

  /** Key usages cert-manager accepts (its KeyUsage enumeration). */
  static final Set<String> KEY_USAGES =
      Set.of(
          "signing",
          "digital signature",
          "content commitment",
          "key encipherment",
          "key agreement",
          "data encipherment",
          "cert sign",
          "crl sign",
          "encipher only",
          "decipher only",
          "any",
          "server auth",
          "client auth",
          "code signing",
          "email protection",
          "s/mime",
          "ipsec end system",
          "ipsec tunnel",
          "ipsec user",
          "timestamping",
          "ocsp signing",
          "microsoft sgc",
          "netscape sgc");

  record Certificate(String apiVersion, String kind, ObjectMeta metadata, CertificateSpec spec) {
    Certificate {
      require(spec != null, "Certificate.spec is required");
    }
  }

  record CertificateSpec(
      String secretName,
      String commonName,
      List<String> dnsNames,
      List<String> ipAddresses,
      List<String> uris,
      List<String> usages,
      String duration,
      String renewBefore,
      Boolean isCA,
      CertificatePrivateKey privateKey,
      IssuerReference issuerRef,
      Integer revisionHistoryLimit) {
    CertificateSpec {
      require(secretName != null && !secretName.isBlank(), "spec.secretName is required");
      require(issuerRef != null, "spec.issuerRef is required");
      for (String usage : usages == null ? List.<String>of() : usages) {
        oneOf("spec.usages[]", usage, KEY_USAGES);
      }
      if (duration != null && renewBefore != null) {
        require(
            goDurationSeconds(renewBefore) < goDurationSeconds(duration),
            "spec.renewBefore ("
                + renewBefore
                + ") must be shorter than spec.duration ("
                + duration
                + ")");
      }
      require(
          duration == null || goDurationSeconds(duration) >= 3600,
          "spec.duration must be at least 1h (cert-manager's minimum), is " + duration);
    }
  }

  record CertificatePrivateKey(
      String algorithm, Integer size, String encoding, String rotationPolicy) {
    CertificatePrivateKey {
      oneOf("spec.privateKey.algorithm", algorithm, Set.of("RSA", "ECDSA", "Ed25519"));
      oneOf("spec.privateKey.encoding", encoding, Set.of("PKCS1", "PKCS8"));
      oneOf("spec.privateKey.rotationPolicy", rotationPolicy, Set.of("Never", "Always"));
      require(
          !"ECDSA".equals(algorithm) || size == null || Set.of(256, 384, 521).contains(size),
          "spec.privateKey.size for ECDSA must be 256, 384 or 521, is " + size);
    }
  }

  record IssuerReference(String name, String kind, String group) {
    IssuerReference {
      require(name != null && !name.isBlank(), "issuerRef.name is required");
    }
  }

  record Issuer(String apiVersion, String kind, ObjectMeta metadata, IssuerSpec spec) {
    Issuer {
      require(spec != null, "Issuer.spec is required");
    }
  }

  /** Only the issuer types the chart renders: self-signed (for its CA) and CA. */
  record IssuerSpec(SelfSignedIssuer selfSigned, CaIssuer ca) {
    IssuerSpec {
      require((selfSigned == null) != (ca == null), "an Issuer has exactly one issuer type");
    }
  }

  record SelfSignedIssuer(List<String> crlDistributionPoints) {}

  record CaIssuer(
      String secretName,
      List<String> crlDistributionPoints,
      List<String> ocspServers,
      List<String> issuingCertificateURLs) {
    CaIssuer {
      require(secretName != null && !secretName.isBlank(), "spec.ca.secretName is required");
    }
  }

  /** Seconds of a Go duration as cert-manager parses them ("2160h", "1h30m", "90s"). */
  static long goDurationSeconds(String duration) {
    var matcher = java.util.regex.Pattern.compile("([0-9]+)(h|m|s)").matcher(duration);
    long seconds = 0;
    int end = 0;
    while (matcher.find()) {
      require(matcher.start() == end, "not a Go duration: " + duration);
      long n = Long.parseLong(matcher.group(1));
      seconds +=
          switch (matcher.group(2)) {
            case "h" -> n * 3600;
            case "m" -> n * 60;
            default -> n;
          };
      end = matcher.end();
    }
    require(end == duration.length() && end > 0, "not a Go duration: " + duration);
    return seconds;
  }
}
