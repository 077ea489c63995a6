package io.bptemporal.devstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Temporal Web UI server, configured from {@code ui-server.yaml} (a template rendered by the UI
 * server).
 */
final class WebUi implements AutoCloseable {
  private final ManagedProcess process;
  private final URI url;

  private WebUi(ManagedProcess process, URI url) {
    this.process = process;
    this.url = url;
  }

  static WebUi start(DevStackConfig config, Optional<StackTls> tls, Consumer<ChildCrash> onCrash) {
    Path binary = config.tools().require(ToolLocator.Tool.TEMPORAL_UI_SERVER);
    Path root = config.workDir().resolve("ui");
    // The UI server reads <root>/<config dir>/<env>.yaml; env "devstack" keeps its built-in files
    // out of the way.
    TemporalServer.copyResource("ui-server.yaml", root.resolve("config").resolve("devstack.yaml"));
    int port = config.ports().ui();
    Map<String, String> env = new HashMap<>();
    env.put("DEVSTACK_FRONTEND_PORT", Integer.toString(config.ports().frontend()));
    env.put("DEVSTACK_UI_PORT", Integer.toString(port));
    tls.ifPresent(
        ca -> {
          // The UI server is a client of the frontend like any other: a certificate of its own.
          StackTls.CertFiles cert = ca.client("temporal-ui");
          env.put("DEVSTACK_TLS_CA_FILE", ca.caFile().toString());
          env.put("DEVSTACK_UI_TLS_CERT", cert.certFile().toString());
          env.put("DEVSTACK_UI_TLS_KEY", cert.keyFile().toString());
        });
    ManagedProcess child =
        ManagedProcess.start(
            "temporal-ui",
            List.of(
                binary.toString(),
                "--root",
                root.toString(),
                "--config",
                "config",
                "--env",
                "devstack",
                "start"),
            env,
            config.workDir().resolve("logs").resolve("temporal-ui.log"),
            config.echoLogs(),
            onCrash);
    URI url = URI.create("http://127.0.0.1:" + port);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    child.awaitReady(
        "the Web UI answering " + url.resolve("/healthz"),
        Duration.ofSeconds(60),
        () ->
            http.send(
                        HttpRequest.newBuilder(url.resolve("/healthz"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200);
    return new WebUi(child, url);
  }

  URI url() {
    return url;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.stop("TERM", Duration.ofSeconds(10));
  }
}
