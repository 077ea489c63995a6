package io.bptemporal.ordersaga.e2e;

import io.bptemporal.ordersaga.worker.OrderSagaWorkerMain;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The order-saga worker as its own OS process, started the way {@code make run} starts it: {@code java -cp
 * target/classes:<target/runtime-classpath.txt> OrderSagaWorkerMain} with the environment contract.
 */
final class WorkerOsProcess {
    private final Process process;
    private final int managementPort;
    private final Path log;

    private WorkerOsProcess(Process process, int managementPort, Path log) {
        this.process = process;
        this.managementPort = managementPort;
        this.log = log;
    }

    static WorkerOsProcess start(Map<String, String> environment, Path log) throws IOException {
        Path module = Path.of("").toAbsolutePath();
        Path classes = module.resolve("target/classes");
        Path classpathFile = module.resolve("target/runtime-classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing: it is written in the prepare-package phase,"
                    + " run the test through 'mvn verify'");
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        String javaOpts = System.getenv("BP_JAVA_OPTS");
        if (javaOpts != null && !javaOpts.isBlank()) {
            command.addAll(List.of(javaOpts.strip().split("\\s+")));
        }
        command.addAll(List.of("-Xmx256m", "-cp", classes + ":" + Files.readString(classpathFile).strip(),
                OrderSagaWorkerMain.class.getName()));
        int port = freePort();
        Map<String, String> env = new HashMap<>(environment);
        env.put("MANAGEMENT_PORT", Integer.toString(port));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return new WorkerOsProcess(builder.start(), port, log);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Waits until /readyz answers 200 (Temporal reachable, worker polling, database reachable). */
    void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI readyz = URI.create("http://127.0.0.1:" + managementPort + "/readyz");
        try {
            Awaitility.await("worker pid " + process.pid() + " ready").atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("worker pid " + process.pid() + " exited before it was ready", () -> !process.isAlive())
                    .until(() -> {
                        try {
                            return http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(1)).build(),
                                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                        } catch (IOException notYet) {
                            return false; // the management server is not up yet
                        }
                    });
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException(e.getMessage()
                    + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")") + "; see " + log, e);
        }
    }

    /** SIGKILL: no shutdown hook, no graceful stop, in-flight tasks are simply lost. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The exit status of a process expected to end by itself within {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("worker pid " + process.pid() + " still runs after " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    /** SIGTERM, then the exit status: the process must stop gracefully within {@code timeout}. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("worker pid " + process.pid() + " did not stop within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
