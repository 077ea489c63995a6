package io.bptemporal.systemtests.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * An image's entrypoint running in its unpacked root filesystem the way a container engine would
 * start it, without one: a new mount and PID namespace ({@code unshare}), a private {@code /proc},
 * the host's {@code /dev/null}, {@code /dev/urandom} etc. and {@code /etc/hosts}, {@code
 * /etc/resolv.conf} bound in, then chroot, working directory and the image's (non-root) user. The
 * network namespace stays the host's, so the process reaches services on 127.0.0.1 (the dev stack)
 * and the test reaches its ports.
 *
 * <p>Needs root (to create namespaces and chroot), as an engine does. The entrypoint is PID 1 of
 * its PID namespace, as in a container, so it receives SIGTERM only if it handles it: exactly the
 * Kubernetes contract.
 */
public final class ImageProcess implements AutoCloseable {
  private static final List<String> DEVICES =
      List.of("null", "zero", "full", "random", "urandom", "tty");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final Process launcher;
  private final long startNanos;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final Thread pump;

  private ImageProcess(String name, Process launcher, long startNanos) {
    this.name = name;
    this.launcher = launcher;
    this.startNanos = startNanos;
    this.pump = new Thread(this::pumpOutput, "image-" + name + "-output");
    this.pump.setDaemon(true);
    this.pump.start();
  }

  /**
   * Starts the image's command in {@code rootfs}. {@code env} is applied over the image's Env (a
   * value replaces the image's), as {@code docker run -e} does.
   */
  public static ImageProcess start(
      String name, Path rootfs, ImageConfig config, Map<String, String> env) throws IOException {
    if (!"0".equals(currentUid())) {
      throw new IllegalStateException(
          "running an image without a container engine needs root (unshare, chroot); "
              + "this JVM runs as uid "
              + currentUid());
    }
    List<String> command = config.command();
    if (command.isEmpty()) {
      throw new IllegalArgumentException(name + ": the image has neither Entrypoint nor Cmd");
    }
    UserIds ids = UserIds.resolve(config, rootfs);
    if (ids.uid() == 0) {
      throw new IllegalArgumentException(
          name
              + ": the image runs as root (User '"
              + config.user()
              + "'); images of this project must name a non-root user");
    }
    Map<String, String> environment = new LinkedHashMap<>(config.env());
    environment.putIfAbsent("HOME", ids.home());
    environment.putIfAbsent("HOSTNAME", name);
    environment.putAll(env);

    prepareMountPoints(rootfs);
    // Inside the new namespaces: mount what an engine mounts, then let unshare chroot, chdir and
    // drop to the
    // image's user. env -i runs on the host side, so the image needs no env binary (distroless has
    // none).
    String setup =
        String.join(
            "\n",
            "set -eu",
            "r=\"$1\"; shift",
            "mount -t proc proc \"$r/proc\"",
            "for d in "
                + String.join(" ", DEVICES)
                + "; do [ -e \"/dev/$d\" ] && mount --bind \"/dev/$d\" \"$r/dev/$d\"; done",
            "for f in hosts resolv.conf; do mount --bind \"/etc/$f\" \"$r/etc/$f\"; done",
            "exec \"$@\"");
    List<String> launch =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--pid",
                "--fork",
                "--kill-child",
                "--propagation",
                "private",
                "sh",
                "-c",
                setup,
                "image-launch",
                rootfs.toString(),
                "env",
                "-i"));
    environment.forEach((key, value) -> launch.add(key + "=" + value));
    launch.addAll(
        List.of(
            "unshare",
            "--root=" + rootfs,
            "--wd=" + config.workingDir(),
            "--setgid=" + ids.gid(),
            "--setuid=" + ids.uid(),
            "--"));
    launch.addAll(command);

    long started = System.nanoTime();
    Process launcher = new ProcessBuilder(launch).redirectErrorStream(true).start();
    return new ImageProcess(name, launcher, started);
  }

  /** The host PID of the image's entrypoint (PID 1 inside its namespace). */
  public long pid() {
    try {
      return Awaitility.await(name + "'s entrypoint started (unshare forked its child)")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .failFast(name + " exited before it started", () -> !launcher.isAlive())
          .until(() -> launcher.toHandle().children().findFirst(), Optional::isPresent)
          .orElseThrow()
          .pid();
    } catch (org.awaitility.core.ConditionTimeoutException
        | org.awaitility.core.TerminalFailureException e) {
      throw new IllegalStateException(e.getMessage() + "; its output:\n" + tail(), e);
    }
  }

  /** Every line the process printed so far (stdout and stderr interleaved). */
  public List<String> output() {
    return List.copyOf(output);
  }

  public boolean isAlive() {
    return launcher.isAlive();
  }

  /**
   * Polls {@code http://127.0.0.1:port/path} until it answers 200; returns the time from the start
   * of the process (cold start to ready). Fails when the process exits first or the deadline
   * passes.
   */
  public Duration awaitHttpOk(int port, String path, Duration timeout) {
    URI uri = URI.create("http://127.0.0.1:" + port + path);
    String[] last = {"no answer yet"};
    try {
      return Awaitility.await(name + ": " + uri + " answers 200")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(50))
          .failFast(name + " exited before " + uri + " answered 200", () -> !launcher.isAlive())
          .until(
              () -> {
                try {
                  HttpResponse<String> response =
                      HTTP.send(
                          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (response.statusCode() == 200) {
                    return Optional.of(Duration.ofNanos(System.nanoTime() - startNanos));
                  }
                  last[0] = "HTTP " + response.statusCode() + ": " + response.body().strip();
                } catch (IOException e) {
                  last[0] =
                      e.getClass().getSimpleName()
                          + (e.getMessage() == null ? "" : ": " + e.getMessage());
                }
                return Optional.<Duration>empty();
              },
              Optional::isPresent)
          .orElseThrow();
    } catch (org.awaitility.core.ConditionTimeoutException
        | org.awaitility.core.TerminalFailureException e) {
      throw new AssertionError(
          e.getMessage() + " (last: " + last[0] + "); its output:\n" + tail(), e);
    }
  }

  /**
   * Sends SIGTERM to the entrypoint (as the kubelet does) and waits for it to exit; returns its
   * exit code (128 + n when it died of signal n). Kills it and fails when it outlives {@code
   * grace}.
   */
  public int stop(Duration grace) throws InterruptedException {
    ProcessHandle entrypoint =
        ProcessHandle.of(pid())
            .orElseThrow(() -> new IllegalStateException(name + " is gone before SIGTERM"));
    entrypoint.destroy(); // SIGTERM
    if (!launcher.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      launcher.destroyForcibly(); // --kill-child takes the entrypoint with it
      launcher.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          name + " did not exit within " + grace + " after SIGTERM; its output:\n" + tail());
    }
    pump.join(TimeUnit.SECONDS.toMillis(5));
    return launcher.exitValue();
  }

  /** The last lines of output, for failure messages. */
  public String tail() {
    List<String> lines = output();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** Kills the process tree if it still runs (a failed test must not leave it behind). */
  @Override
  public void close() {
    if (launcher.isAlive()) {
      launcher.destroyForcibly();
      try {
        launcher.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void pumpOutput() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.add(line);
        System.out.println("[" + name + "] " + line);
      }
    } catch (IOException e) {
      output.add("(output unreadable: " + e.getMessage() + ")");
    }
  }

  /**
   * Mount points an engine would provide; created as empty files and directories in the unpacked
   * tree.
   */
  private static void prepareMountPoints(Path rootfs) throws IOException {
    Files.createDirectories(rootfs.resolve("proc"));
    Files.createDirectories(rootfs.resolve("dev"));
    Files.createDirectories(rootfs.resolve("etc"));
    for (String device : DEVICES) {
      touch(rootfs.resolve("dev").resolve(device));
    }
    touch(rootfs.resolve("etc/hosts"));
    touch(rootfs.resolve("etc/resolv.conf"));
  }

  private static void touch(Path file) throws IOException {
    if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createFile(file);
    }
  }

  private static String currentUid() {
    try {
      return Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString();
    } catch (IOException | UnsupportedOperationException e) {
      throw new UncheckedIOException(
          new IOException("cannot tell this JVM's uid from /proc/self", e));
    }
  }
}
