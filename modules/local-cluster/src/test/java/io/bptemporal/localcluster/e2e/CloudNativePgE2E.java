package io.bptemporal.localcluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bptemporal.localcluster.junit.ClusterAddons;
import io.bptemporal.localcluster.junit.ClusterEndpoints;
import io.bptemporal.localcluster.junit.LocalClusterExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real CloudNativePG operator 1.30.0 on the local cluster, installed from the upstream release
 * manifest (changed only in the operator's pull policy: {@code Always} would ask a registry this
 * machine cannot reach): its CRDs are served and validated by the API server; it reconciles a
 * one-instance Cluster on the locally built PostgreSQL operand and the default StorageClass to
 * healthy, then a Database with the extension Temporal's visibility store needs; and the locally
 * built Temporal images run on it the way the upstream chart runs them (schema Job, server,
 * namespace Job, Web UI). Ordered: each step builds on the previous one.
 */
@ExtendWith(LocalClusterExtension.class)
@Order(2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CloudNativePgE2E {
  private static final ResourceDefinitionContext CLUSTER =
      new ResourceDefinitionContext.Builder()
          .withGroup("postgresql.cnpg.io")
          .withVersion("v1")
          .withKind("Cluster")
          .withPlural("clusters")
          .withNamespaced(true)
          .build();
  private static final ResourceDefinitionContext DATABASE =
      new ResourceDefinitionContext.Builder()
          .withGroup("postgresql.cnpg.io")
          .withVersion("v1")
          .withKind("Database")
          .withPlural("databases")
          .withNamespaced(true)
          .build();

  private TestNamespace ns;

  @BeforeAll
  void installOperator(KubernetesClient client, ClusterEndpoints cluster) {
    ClusterAddons.installCloudNativePg(client, cluster);
    ns = new TestNamespace(client, "proof-cnpg", cluster.imageIndex());
  }

  @AfterAll
  void deleteNamespace(KubernetesClient client) {
    if (ns == null) {
      return;
    }
    // The Database first, while its Cluster still runs: its finalizer needs the operator to reach
    // PostgreSQL,
    // and a namespace deletion would remove the Cluster at the same time and leave the Database
    // stuck.
    client
        .genericKubernetesResources(DATABASE)
        .inNamespace(ns.name)
        .withName("visibility")
        .delete();
    client
        .genericKubernetesResources(DATABASE)
        .inNamespace(ns.name)
        .withName("visibility")
        .waitUntilCondition(d -> d == null, 120, TimeUnit.SECONDS);
    ns.close();
  }

  @Test
  @Order(1)
  void theApiServerValidatesACnpgObjectAgainstTheCrdSchema() {
    // Rejected by the API server's own schema validation of the CRD, before any webhook of the
    // operator.
    assertThatThrownBy(
            () ->
                ns.create(
                    """
        apiVersion: postgresql.cnpg.io/v1
        kind: Cluster
        metadata: {name: bad}
        spec:
          instances: 0
          storage: {size: 1Gi}
        """))
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage())
                  .contains("spec.instances")
                  .contains("should be greater than or equal to 1");
            });
  }

  @Test
  @Order(2)
  void theOperatorReconcilesAClusterAndADatabaseWithAnExtension(
      KubernetesClient client, ClusterEndpoints cluster) throws Exception {
    String operand =
        TestNamespace.imageReference(cluster.imageIndex(), "ghcr.io/cloudnative-pg/postgresql:");
    ns.create(
        """
        apiVersion: postgresql.cnpg.io/v1
        kind: Cluster
        metadata: {name: pg}
        spec:
          instances: 1
          imageName: %s
          storage: {size: 1Gi}
          bootstrap:
            initdb: {database: temporal, owner: temporal}
        """
            .formatted(operand));
    GenericKubernetesResource healthy =
        client
            .genericKubernetesResources(CLUSTER)
            .inNamespace(ns.name)
            .withName("pg")
            .waitUntilCondition(
                c ->
                    c != null
                        && "Cluster in healthy state".equals(status(c).get("phase"))
                        && Integer.valueOf(1).equals(status(c).get("readyInstances")),
                600,
                TimeUnit.SECONDS);
    assertThat(status(healthy)).containsEntry("instances", 1);
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace(ns.name)
                .withName("pg-1")
                .get()
                .getSpec()
                .getStorageClassName())
        .isEqualTo("local-path");

    ns.create(
        """
        apiVersion: postgresql.cnpg.io/v1
        kind: Database
        metadata: {name: visibility}
        spec:
          name: temporal_visibility
          owner: temporal
          cluster: {name: pg}
          extensions:
          - {name: btree_gin, ensure: present}
        """);
    client
        .genericKubernetesResources(DATABASE)
        .inNamespace(ns.name)
        .withName("visibility")
        .waitUntilCondition(
            d -> d != null && Boolean.TRUE.equals(status(d).get("applied")), 180, TimeUnit.SECONDS);

    String out =
        run(
            cluster.kubectlCommand(
                "-n",
                ns.name,
                "exec",
                "pg-1",
                "-c",
                "postgres",
                "--",
                "psql",
                "-d",
                "temporal_visibility",
                "-tAc",
                "select e.extname || ':' || pg_get_userbyid(d.datdba) from pg_extension e, pg_database d"
                    + " where d.datname = current_database()"));
    assertThat(out).contains("btree_gin:temporal");
  }

  @Test
  @Order(3)
  void theTemporalImagesRunTheChartsJobsAndServerOnTheDatabase(KubernetesClient client) {
    // The upstream chart's schema Job commands, on the admin-tools image, with CNPG's Secret and
    // Service.
    for (String[] store :
        new String[][] {{"temporal", "temporal"}, {"visibility", "temporal_visibility"}}) {
      ns.create(
          """
          apiVersion: batch/v1
          kind: Job
          metadata: {name: schema-%1$s}
          spec:
            backoffLimit: 2
            template:
              spec:
                restartPolicy: Never
                securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
                containers:
                - name: schema
                  image: temporalio/admin-tools:1.31.2
                  imagePullPolicy: IfNotPresent
                  command: [sh, -c]
                  args: ["temporal-sql-tool setup-schema -v 0.0 && temporal-sql-tool update-schema --schema-dir /etc/temporal/schema/postgresql/v12/%1$s/versioned"]
                  env:
                  - {name: SQL_PLUGIN, value: postgres12}
                  - {name: SQL_HOST, value: pg-rw}
                  - {name: SQL_PORT, value: "5432"}
                  - {name: SQL_DATABASE, value: %2$s}
                  - {name: SQL_USER, value: temporal}
                  - name: SQL_PASSWORD
                    valueFrom: {secretKeyRef: {name: pg-app, key: password}}
                  securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
          """
              .formatted(store[0], store[1]));
    }
    for (String job : List.of("schema-temporal", "schema-visibility")) {
      Job done = ns.awaitJobEnded(job, 300);
      assertThat(done.getStatus().getSucceeded())
          .as("%s; log:%n%s", job, ns.jobLog(job))
          .isEqualTo(1);
    }

    ns.create(SERVER_CONFIG);
    ns.create(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: temporal}
        spec:
          replicas: 1
          selector: {matchLabels: {app: temporal}}
          template:
            metadata: {labels: {app: temporal}}
            spec:
              securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
              containers:
              - name: server
                image: temporalio/server:1.31.2
                imagePullPolicy: IfNotPresent
                env:
                - name: POD_IP
                  valueFrom: {fieldRef: {fieldPath: status.podIP}}
                - {name: TEMPORAL_SERVICES, value: "frontend,history,matching,worker"}
                - {name: TEMPORAL_SERVER_CONFIG_FILE_PATH, value: /etc/temporal/config/config_template.yaml}
                - name: TEMPORAL_STORE_PASSWORD
                  valueFrom: {secretKeyRef: {name: pg-app, key: password}}
                ports: [{name: rpc, containerPort: 7233}]
                readinessProbe: {tcpSocket: {port: rpc}, periodSeconds: 2}
                volumeMounts:
                - {name: config, mountPath: /etc/temporal/config/config_template.yaml, subPath: config_template.yaml}
                securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
              volumes:
              - name: config
                configMap: {name: temporal-config}
        """);
    ns.create(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: temporal}
        spec:
          selector: {app: temporal}
          ports: [{name: rpc, port: 7233, targetPort: 7233}]
        """);
    client
        .apps()
        .deployments()
        .inNamespace(ns.name)
        .withName("temporal")
        .waitUntilCondition(
            d ->
                d.getStatus() != null
                    && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()),
            300,
            TimeUnit.SECONDS);

    // The upstream chart's namespace Job command, then the Web UI (the chart's env) listing that
    // namespace.
    ns.create(
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: namespace}
        spec:
          backoffLimit: 5
          template:
            spec:
              restartPolicy: Never
              securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
              containers:
              - name: ns
                image: temporalio/admin-tools:1.31.2
                imagePullPolicy: IfNotPresent
                command: [/bin/sh, -c]
                args: ["temporal operator namespace describe -n proof || temporal operator namespace create -n proof --retention 24h"]
                env: [{name: TEMPORAL_ADDRESS, value: "temporal:7233"}]
                securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
        """);
    Job namespaceJob = ns.awaitJobEnded("namespace", 180);
    assertThat(namespaceJob.getStatus().getSucceeded())
        .as("log:%n%s", ns.jobLog("namespace"))
        .isEqualTo(1);

    ns.create(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
              containers:
              - name: web
                image: temporalio/ui:2.52.0
                imagePullPolicy: IfNotPresent
                env: [{name: TEMPORAL_ADDRESS, value: "temporal.${NS}.svc.cluster.local:7233"}]
                ports: [{name: http, containerPort: 8080}]
                readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 2}
                securityContext: {readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
        """);
    ns.create(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{name: http, port: 8080, targetPort: 8080}]
        """);
    client
        .apps()
        .deployments()
        .inNamespace(ns.name)
        .withName("web")
        .waitUntilCondition(
            d ->
                d.getStatus() != null
                    && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()),
            180,
            TimeUnit.SECONDS);
    // The namespace cache of the frontend refreshes every few seconds: poll (bounded) until the UI
    // lists it.
    ns.create(
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: ui-client}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: wget
                image: ${BUSYBOX}
                imagePullPolicy: IfNotPresent
                command: [sh, -c, "for i in $(seq 60); do out=$(timeout 5 wget -qO- http://web:8080/api/v1/namespaces) && case $out in *'\\"proof\\"'*) echo $out; exit 0;; esac; sleep 2; done; echo last answer: $out; exit 1"]
        """);
    Job uiClient = ns.awaitJobEnded("ui-client", 240);
    String log = ns.jobLog("ui-client");
    assertThat(uiClient.getStatus().getSucceeded()).as("log:%n%s", log).isEqualTo(1);
    assertThat(log).contains("\"proof\"");
  }

  /**
   * A whole server in one pod (the chart runs one service per Deployment) on the CNPG databases.
   */
  private static final String SERVER_CONFIG =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: temporal-config}
      data:
        config_template.yaml: |
          # enable-template
          log: {stdout: true, level: warn}
          persistence:
            defaultStore: default
            visibilityStore: visibility
            numHistoryShards: 1
            datastores:
              default:
                sql:
                  pluginName: postgres12
                  databaseName: temporal
                  connectAddr: "pg-rw:5432"
                  connectProtocol: tcp
                  user: temporal
                  password: {{ env "TEMPORAL_STORE_PASSWORD" | quote }}
                  maxConns: 10
                  maxIdleConns: 10
              visibility:
                sql:
                  pluginName: postgres12
                  databaseName: temporal_visibility
                  connectAddr: "pg-rw:5432"
                  connectProtocol: tcp
                  user: temporal
                  password: {{ env "TEMPORAL_STORE_PASSWORD" | quote }}
                  maxConns: 5
                  maxIdleConns: 5
          global:
            membership:
              maxJoinDuration: 30s
              broadcastAddress: {{ env "POD_IP" | quote }}
          services:
            frontend: {rpc: {grpcPort: 7233, httpPort: 7243, membershipPort: 6933, bindOnIP: 0.0.0.0}}
            history: {rpc: {grpcPort: 7234, membershipPort: 6934, bindOnIP: 0.0.0.0}}
            matching: {rpc: {grpcPort: 7235, membershipPort: 6935, bindOnIP: 0.0.0.0}}
            worker: {rpc: {grpcPort: 7239, membershipPort: 6939, bindOnIP: 0.0.0.0}}
          clusterMetadata:
            enableGlobalNamespace: false
            failoverVersionIncrement: 10
            masterClusterName: active
            currentClusterName: active
            clusterInformation:
              active: {enabled: true, initialFailoverVersion: 1, rpcName: frontend, rpcAddress: "127.0.0.1:7233", httpAddress: "127.0.0.1:7243"}
          dcRedirectionPolicy: {policy: noop}
      """;

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s:%n%s", command, out).isZero();
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
