package io.bptemporal.systemtests.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad values are refused at render time, and the message names the key (or value) and what is
 * accepted. Each case stacks one small values document on the minimal scenario, as a user's overlay
 * would.
 */
class ValuesRejectionTest {

  /** A bad values document and fragments the error must contain. */
  record BadValues(String name, String yaml, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<BadValues> badValues() {
    return Stream.of(
        // values.schema.json
        bad("unknown top-level key", "workerz: {}", "additional properties 'workerz' not allowed"),
        bad(
            "unknown nested key",
            "workers: {orderSaga: {replica: 3}}",
            "/workers/orderSaga",
            "additional properties 'replica' not allowed"),
        bad(
            "wrong type",
            "workers: {orderSaga: {replicas: two}}",
            "/workers/orderSaga/replicas",
            "got string, want integer"),
        bad(
            "no PostgreSQL instance",
            "postgres: {cnpg: {instances: 0}}",
            "/postgres/cnpg/instances",
            "minimum: got 0, want 1"),
        bad(
            "malformed digest",
            "workers: {pipeline: {image: {digest: 'sha256:abc'}}}",
            "/workers/pipeline/image/digest",
            "does not match pattern",
            "sha256:[a-f0-9]{64}"),
        bad(
            "unknown PostgreSQL mode",
            "postgres: {mode: rds}",
            "/postgres/mode",
            "value must be one of 'cnpg', 'external'"),
        bad(
            "five-field backup schedule",
            "postgres: {cnpg: {backup: {schedule: '0 2 * * *'}}}",
            "/postgres/cnpg/backup/schedule"),
        bad(
            "log level typo",
            "processDefaults: {logLevel: VERBOSE}",
            "/processDefaults/logLevel",
            "'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'"),
        // _image.tpl
        bad(
            "empty tag",
            "imageDefaults: {tag: ''}",
            "workers.orderSaga.image.tag is empty",
            "imageDefaults.tag"),
        bad("latest tag", "scheduler: {image: {tag: latest}}", "scheduler.image.tag is \"latest\""),
        bad(
            "image without digest under requireDigest",
            "imageDefaults: {requireDigest: true}",
            "workers.orderSaga.image.digest is empty but imageDefaults.requireDigest is true",
            "image ghcr.io/bp-temporal/order-saga-worker:3f9c2a1b7d4e is not pinned by digest"),
        bad(
            "upstream image without digest under requireDigest",
            "{imageDefaults: {requireDigest: true}, workers: {orderSaga: {image: {digest: "
                + DIGEST
                + "}}, pipeline: {image: {digest: "
                + DIGEST
                + "}}, activity: {image: {digest: "
                + DIGEST
                + "}}}, scheduler: {image: {digest: "
                + DIGEST
                + "}}}",
            "temporal.server.image.tag is \"1.31.2\"",
            "image temporalio/server:1.31.2 is not pinned by digest"),
        // _validate.tpl: contradictions
        bad(
            "schema Job as hook with in-release CNPG",
            "temporal: {schema: {useHelmHooks: true}}",
            "temporal.schema.useHelmHooks must be false with postgres.mode=cnpg",
            "bp-temporal-pg-app"),
        bad(
            "connectAddr on another cluster",
            store("connectAddr: 'other-pg-rw:5432'"),
            "datastores.default.sql.connectAddr is \"other-pg-rw:5432\"",
            "\"bp-temporal-pg-rw:5432\""),
        bad(
            "connectAddr without port",
            store("connectAddr: bp-temporal-pg-rw"),
            "must be \"host:port\""),
        bad(
            "cluster renamed but stores not",
            "postgres: {cnpg: {clusterName: pg-main}}",
            "points at host \"pg-main-rw\"",
            "postgres.cnpg.clusterName"),
        bad(
            "wrong secret",
            store("existingSecret: my-secret"),
            "existingSecret is \"my-secret\"",
            "Set existingSecret: bp-temporal-pg-app"),
        bad(
            "plaintext password",
            store("password: hunter2"),
            "datastores.default.sql.password is set",
            "existingSecret"),
        bad(
            "createDatabase with CNPG",
            store("createDatabase: true"),
            "permission denied to create database",
            "createDatabase: false"),
        bad(
            "missing connectProtocol",
            store("connectProtocol: null"),
            "connectProtocol is missing",
            "tcp"),
        bad(
            "store renamed",
            "temporal: {server: {config: {persistence: {visibilityStore: vis}}}}",
            "must stay \"default\"/\"visibility\""),
        bad(
            "pre-1.0 persistence layout",
            "temporal: {server: {config: {persistence: {default: {driver: sql, sql: {host: pg, port: 5432}}}}}}",
            "temporal.server.config.persistence.default is the pre-1.0 upstream layout",
            "datastores.default.sql",
            "connectProtocol: tcp"),
        bad(
            "pre-1.0 postgresql subchart key",
            "temporal: {postgresql: {enabled: true}}",
            "temporal.postgresql",
            "no postgresql subchart since 1.0"),
        bad(
            "connection budget too small",
            "postgres: {cnpg: {parameters: {max_connections: '100'}}}",
            "max_connections is 100 but the platform can open 224",
            "Raise max_connections to at least 224"),
        bad(
            "one role for two processes",
            "workers: {pipeline: {database: {role: orders_worker}}}",
            "workers.pipeline.database.role is \"orders_worker\", the role of workers.orderSaga too"),
        bad(
            "a process signs in as the owner of Temporal's databases",
            "scheduler: {database: {role: app}}",
            "scheduler.database.role is \"app\"",
            "postgres.cnpg.owner, which owns Temporal's databases"),
        bad(
            "role name PostgreSQL would fold or need quotes for",
            "workers: {activity: {database: {role: Activity-Worker}}}",
            "workers.activity.database.role is \"Activity-Worker\"",
            "lower-case letters, digits and _"),
        bad(
            "two processes on one database",
            "workers: {activity: {database: {ref: pipeline}}}",
            "workers.activity.database.ref is \"pipeline\", the database of workers.pipeline too"),
        bad(
            "existingSecret with the chart's own roles",
            "workers: {orderSaga: {database: {existingSecret: mine}}}",
            "workers.orderSaga.database.existingSecret is \"mine\" with postgres.mode=cnpg",
            "orders_worker"),
        bad(
            "activity worker without the scheduler",
            "scheduler: {enabled: false}",
            "workers.activity.enabled is true but scheduler.enabled is false"),
        bad(
            "registry reader role that is not a plain name",
            "scheduler: {registryReaderRoles: ['x; drop table y']}",
            "scheduler.registryReaderRoles has \"x; drop table y\""),
        bad(
            "worker namespace not created",
            "workers: {orderSaga: {temporal: {namespace: billing}}}",
            "workers.orderSaga.temporal.namespace is \"billing\"",
            "add {name: billing"),
        bad("auth without issuer", "auth: {enabled: true}", "auth.oidc.issuerUrl is empty"),
        bad(
            "auth over plain http",
            "auth: {enabled: true, oidc: {issuerUrl: 'http://kc/realms/t'}}",
            "must be an https:// URL"),
        bad(
            "authorization without auth",
            "temporal: {server: {config: {authorization: {authorizer: default}}}}",
            "temporal.server.config.authorization is set but auth.enabled is false"),
        bad(
            "external PostgreSQL without host",
            "postgres: {mode: external}",
            "postgres.external.host is empty"),
        bad(
            "verify-full without the CA",
            "postgres: {mode: external, external: {host: pg.example, existingSecret: db, sslMode: verify-full}}",
            "postgres.external.sslMode is verify-full but postgres.external.caSecret is empty",
            "key ca.crt"),
        bad(
            "backup without object store",
            "postgres: {cnpg: {backup: {enabled: true}}}",
            "postgres.cnpg.backup.objectStoreName is empty",
            "ObjectStore"),
        bad(
            "HPA bounds inverted",
            "workers: {orderSaga: {autoscaling: {enabled: true, minReplicas: 5, maxReplicas: 2}}}",
            "workers.orderSaga.autoscaling.minReplicas (5) is greater than maxReplicas (2)"),
        bad(
            "PDB on a single replica",
            "scheduler: {replicas: 1}",
            "scheduler has 1 replica and a PodDisruptionBudget"),
        bad(
            "literal secret in extraEnv",
            "workers: {orderSaga: {extraEnv: [{name: PAYMENT_API_TOKEN, value: abc}]}}",
            "workers.orderSaga.extraEnv sets PAYMENT_API_TOKEN as a literal value",
            "secretKeyRef"),
        bad(
            "database reference typo",
            "workers: {pipeline: {database: {ref: pipelines}}}",
            "workers.pipeline.database.ref is \"pipelines\"",
            "orders, pipeline, registry"),
        bad(
            "TLS without secret",
            "temporalClient: {tls: {enabled: true}}",
            "temporalClient.tls.existingSecret is empty"),
        bad(
            "tracing without endpoint",
            "observability: {tracing: {enabled: true}}",
            "observability.tracing.otlpEndpoint is empty"),
        bad(
            "no Temporal anywhere",
            "temporal: {enabled: false}",
            "temporalClient.address is empty"),
        // the event router and its broker
        bad(
            "event router without bootstrap servers",
            "eventRouter: {enabled: true}",
            "eventRouter.enabled is true but broker.bootstrapServers is empty",
            "host:port"),
        bad(
            "SASL without a Secret",
            router("securityProtocol: SASL_SSL"),
            "broker.securityProtocol is SASL_SSL but broker.sasl.existingSecret is empty",
            "credentials never go into values"),
        bad(
            "SASL Secret the router would not use",
            router("sasl: {existingSecret: kafka-user}"),
            "broker.sasl.existingSecret is \"kafka-user\" but broker.securityProtocol is PLAINTEXT",
            "securityProtocol: SASL_SSL"),
        bad(
            "broker CA with PLAINTEXT",
            router("tls: {existingSecret: kafka-ca}"),
            "broker.tls.existingSecret is \"kafka-ca\" but broker.securityProtocol is PLAINTEXT"),
        bad(
            "event router without the scheduler",
            "{eventRouter: {enabled: true}, broker: {bootstrapServers: ['kafka:9092']},"
                + " scheduler: {enabled: false}, workers: {activity: {enabled: false}}}",
            "eventRouter.enabled is true but scheduler.enabled is false"),
        bad(
            "bootstrap server without a port",
            "broker: {bootstrapServers: [kafka]}",
            "/broker/bootstrapServers/0",
            "does not match pattern"),
        bad(
            "broker protocol the router does not speak",
            "broker: {securityProtocol: SASL_PLAINTEXT}",
            "/broker/securityProtocol",
            "'PLAINTEXT', 'SSL', 'SASL_SSL'"),
        bad(
            "event router given a database of its own",
            "eventRouter: {database: {ref: registry}}",
            "/eventRouter/database",
            "additional properties 'ref' not allowed"),
        bad(
            "event router signing in as the scheduler",
            "{eventRouter: {enabled: true, database: {role: scheduler}},"
                + " broker: {bootstrapServers: ['kafka:9092']}}",
            "eventRouter.database.role is \"scheduler\", the role of scheduler too"),
        // its outbox relay
        bad(
            "relay of an outbox whose worker is off",
            "{eventRouter: {enabled: true, relay: {sources: [activity, orders]}},"
                + " broker: {bootstrapServers: ['kafka:9092']}, workers: {orderSaga: {enabled: false}}}",
            "eventRouter.relay.sources lists orders but workers.orderSaga.enabled is false",
            "leave orders out of eventRouter.relay.sources"),
        bad(
            "relay of an outbox that does not exist",
            "eventRouter: {relay: {sources: [pipeline]}}",
            "/eventRouter/relay/sources/0",
            "'activity', 'orders'"),
        bad(
            "relay publishing to the dead-letter topic",
            router("topics: {events: bp.events, deadLetter: bp.dead, outbox: bp.dead}"),
            "broker.topics.outbox and broker.topics.deadLetter are both \"bp.dead\"",
            "e.g. bp.outbox"),
        // payload encryption, the codec server, TLS (docs/security.md)
        bad(
            "payload encryption without the keys Secret",
            "payloadEncryption: {enabled: true, writeKeyId: k1}",
            "payloadEncryption.enabled is true but payloadEncryption.existingSecret is empty",
            "Keys never go into values"),
        bad(
            "payload encryption without a write key",
            "payloadEncryption: {enabled: true, existingSecret: keys}",
            "payloadEncryption.writeKeyId is empty",
            "Secret keys"),
        bad(
            "malformed write key id",
            "payloadEncryption: {writeKeyId: 'a/b'}",
            "/payloadEncryption/writeKeyId"),
        bad(
            "codec server without a token or OIDC",
            "payloadEncryption: {enabled: true, existingSecret: keys, writeKeyId: k1}",
            "it has no credential to check",
            "payloadEncryption.codecServer.token.existingSecret is empty and OIDC is off",
            "payloadEncryption.codecServer.oidc.issuerUrl"),
        bad(
            "codec server OIDC without the provider's JWKS",
            "payloadEncryption: {enabled: true, existingSecret: keys, writeKeyId: k1, codecServer: "
                + "{oidc: {enabled: true, issuerUrl: 'https://idp.example.com/realms/t', audience: a}}}",
            "payloadEncryption.codecServer.oidc.jwksUrl is empty",
            "https://idp.example.com/realms/t/protocol/openid-connect/certs"),
        bad(
            "codec server OIDC behind the network policy without egress to the provider",
            "payloadEncryption: {enabled: true, existingSecret: keys, writeKeyId: k1, codecServer: "
                + "{oidc: {enabled: true, issuerUrl: 'https://idp.example.com/realms/t', audience: a, "
                + "jwksUrl: 'https://idp.example.com/realms/t/certs'}}}\nnetworkPolicy: {enabled: true}",
            "networkPolicy.codecServerEgress is empty",
            "https://idp.example.com/realms/t/certs"),
        bad(
            "codec server OIDC that any token of the realm opens",
            "payloadEncryption: {enabled: true, existingSecret: keys, writeKeyId: k1, codecServer: "
                + "{oidc: {enabled: true, issuerUrl: 'https://idp.example.com/realms/t', "
                + "jwksUrl: 'https://idp.example.com/realms/t/certs'}}}",
            "neither payloadEncryption.codecServer.oidc.audience nor",
            "any access token of that issuer"),
        bad(
            "codec server JWKS over plain http",
            "payloadEncryption: {codecServer: {oidc: {jwksUrl: 'http://idp.example.com/certs'}}}",
            "/payloadEncryption/codecServer/oidc/jwksUrl"),
        bad(
            "codec server public URL without the Web UI's origin",
            "payloadEncryption: {enabled: true, existingSecret: keys, writeKeyId: k1, codecServer: "
                + "{token: {existingSecret: t}, publicUrl: 'https://codec.example.com'}}",
            "no Web UI origin is known",
            "payloadEncryption.codecServer.webOrigin"),
        bad(
            "codec server over plain http",
            "payloadEncryption: {codecServer: {publicUrl: 'http://codec.example.com'}}",
            "/payloadEncryption/codecServer/publicUrl"),
        bad(
            "TLS without the server's TLS block",
            "tls: {enabled: true}",
            "temporal.server.config.tls.internode.server.requireClientAuth is not true",
            "chart/ci/08-tls-values.yaml"),
        bad(
            "server TLS block without tls.enabled",
            "temporal: {server: {config: {tls: {frontend: {server: {requireClientAuth: true}}}}}}",
            "temporal.server.config.tls is set but tls.enabled is false"),
        bad(
            "tools env ConfigMap without TLS",
            "temporal: {admintools: {additionalEnvConfigMapName: bp-temporal-tools-env}}",
            "rendered only with TLS"),
        bad(
            "TLS for a Temporal outside the release",
            "{tls: {enabled: true}, temporal: {enabled: false}, temporalClient: {address: 't:7233'}}",
            "tls.enabled is true but temporal.enabled is false",
            "temporalClient.tls"),
        bad("renewal after expiry", "tls: {renewBefore: 1y}", "/tls/renewBefore"));
  }

  private static final String DIGEST =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  private static BadValues bad(String name, String yaml, String... expected) {
    return new BadValues(name, yaml, List.of(expected));
  }

  /** The event router on, with one bootstrap server and this broker field. */
  private static String router(String brokerField) {
    return "{eventRouter: {enabled: true}, broker: {bootstrapServers: ['kafka:9092'], "
        + brokerField
        + "}}";
  }

  private static String store(String field) {
    return "temporal: {server: {config: {persistence: {datastores: {default: {sql: {"
        + field
        + "}}}}}}}";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void isRejectedWithAMessageNamingTheKey(BadValues bad) {
    RenderRequest request =
        RenderRequest.of(
            RenderCases.scenarioFile("01-minimal-values.yaml"),
            RenderCases.chart().valuesFile("bad-" + bad.name(), bad.yaml()));
    HelmBinary.Run run = RenderCases.chart().template(request);
    assertThat(run.succeeded()).as("helm template should refuse: " + bad.yaml()).isFalse();
    assertThat(run.stderr()).contains(bad.expected());
  }

  @Test
  void atLeastFifteenBadValueSetsAreCovered() {
    assertThat(badValues().count()).isGreaterThanOrEqualTo(15);
  }

  @Test
  void globalIsAcceptedAlthoughEveryOtherUnknownKeyIsNot() {
    RenderRequest request =
        RenderRequest.of(
            RenderCases.scenarioFile("01-minimal-values.yaml"),
            RenderCases.chart()
                .valuesFile(
                    "global", "global: {imageRegistry: mirror.example.com, anything: [1, 2]}"));
    HelmBinary.Run run = RenderCases.chart().template(request);
    assertThat(run.succeeded()).as(run.describe()).isTrue();
  }
}
