package io.bptemporal.devstack;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child process of the stack: its output goes to a log file (and optionally the console), its
 * last lines are kept for error reports, and an exit nobody asked for is reported at once. Public
 * because the local cluster's supervisor ({@code io.bptemporal.localcluster}) runs its components
 * the same way.
 */
public final class ManagedProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ManagedProcess.class);
  private static final int KEPT_LINES = 30;
  // Go servers log JSON lines with whole stack traces; a report keeps the start of each line.
  private static final int KEPT_LINE_LENGTH = 600;

  private final String component;
  private final Process process;
  private final Path logFile;
  private final Deque<String> lastLines = new ArrayDeque<>();
  private volatile boolean stopping;
  private Thread pump;

  private ManagedProcess(String component, Process process, Path logFile) {
    this.component = component;
    this.process = process;
    this.logFile = logFile;
  }

  public static ManagedProcess start(
      String component,
      List<String> command,
      Map<String, String> env,
      Path logFile,
      boolean echo,
      Consumer<ChildCrash> onCrash) {
    ProcessBuilder builder =
        new ProcessBuilder(ownSession(command))
            .redirectErrorStream(true)
            .directory(logFile.getParent().toFile());
    builder.environment().putAll(env);
    Process process;
    try {
      Files.createDirectories(logFile.getParent());
      process = builder.start();
    } catch (IOException e) {
      throw new DevStackException(
          "cannot start " + component + " (" + command.getFirst() + "): " + e.getMessage(), e);
    }
    ManagedProcess child = new ManagedProcess(component, process, logFile);
    child.pump = new Thread(() -> child.pumpOutput(echo), "devstack-" + component + "-output");
    child.pump.setDaemon(true);
    child.pump.start();
    process
        .onExit()
        .thenAccept(
            p -> {
              if (!child.stopping) {
                child.awaitOutput();
                onCrash.accept(child.crash());
              }
            });
    log.debug("started {} (pid {}): {}", component, process.pid(), command);
    return child;
  }

  /**
   * Runs the child in a session (and process group) of its own: a Ctrl-C in the terminal signals
   * the whole foreground process group, and a child that received it directly (PostgreSQL stops at
   * once on SIGINT) would look like a crash. The launcher alone decides when and in which order its
   * children stop. {@code setsid} execs in place (our child is never a group leader), so the pid
   * stays the program's.
   */
  static List<String> ownSession(List<String> command) {
    if (!Files.isExecutable(SETSID)) {
      return command;
    }
    List<String> wrapped = new java.util.ArrayList<>(command.size() + 1);
    wrapped.add(SETSID.toString());
    wrapped.addAll(command);
    return wrapped;
  }

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  /**
   * Runs a command to completion (a setup step), failing with its output when it does not succeed.
   */
  public static void runToCompletion(
      String step, List<String> command, Map<String, String> env, Path logFile, Duration timeout) {
    runToCompletion(step, command, env, logFile, timeout, false);
  }

  /** As above; with {@code echo} the step's output also goes to the console as it runs. */
  public static void runToCompletion(
      String step,
      List<String> command,
      Map<String, String> env,
      Path logFile,
      Duration timeout,
      boolean echo) {
    runToCompletion(step, command, env, logFile, timeout, echo, started -> {});
  }

  /**
   * As above; {@code started} receives the child as soon as it runs (so that a stop can reach it).
   */
  static void runToCompletion(
      String step,
      List<String> command,
      Map<String, String> env,
      Path logFile,
      Duration timeout,
      boolean echo,
      Consumer<ManagedProcess> started) {
    ManagedProcess child = start(step, command, env, logFile, echo, crash -> {});
    child.stopping = true; // exits are expected here; the exit code decides
    try {
      started.accept(child);
    } catch (RuntimeException e) {
      child.close();
      throw e;
    }
    try {
      if (!child.process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        child.close();
        throw new DevStackException(step + " did not finish within " + timeout + child.tail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      child.close();
      throw new DevStackException(step + " was interrupted", e);
    }
    child.awaitOutput();
    if (child.process.exitValue() != 0) {
      throw new DevStackException(
          step + " failed with exit code " + child.process.exitValue() + child.tail());
    }
  }

  /**
   * Polls {@code ready} until it answers true. Fails at once, with the child's last lines, when the
   * child exits meanwhile, and after {@code timeout} otherwise.
   */
  public void awaitReady(String what, Duration timeout, ReadinessCheck ready) {
    Instant deadline = Instant.now().plus(timeout);
    Exception lastFailure = null;
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        awaitOutput();
        throw new DevStackException(
            component + " exited with code " + process.exitValue() + " before " + what + tail());
      }
      try {
        if (ready.check()) {
          return;
        }
      } catch (Exception e) {
        lastFailure = e;
      }
      sleep(Duration.ofMillis(200));
    }
    throw new DevStackException(
        component
            + ": "
            + what
            + " did not happen within "
            + timeout
            + (lastFailure == null ? "" : " (last error: " + lastFailure.getMessage() + ")")
            + tail());
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public String toString() {
    return component + " (pid " + process.pid() + ")";
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Sends {@code signal} (e.g. "INT"), waits up to {@code grace}, then kills the child and its
   * descendants. Returns whether the child ended within the grace (or had already ended).
   */
  public boolean stop(String signal, Duration grace) {
    stopping = true;
    if (!process.isAlive()) {
      return true;
    }
    try {
      // kill(1) rather than Process.destroy(): destroy() also closes our end of the child's output,
      // and
      // the last lines a component prints while shutting down are worth keeping.
      new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
      if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        log.warn("{} did not stop within {} after SIG{}; killing it", component, grace, signal);
        close();
        return false;
      }
      return true;
    } catch (IOException e) {
      close();
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      return false;
    }
  }

  /**
   * Waits up to {@code timeout} for the child to end by itself (an expected exit); whether it did.
   */
  public boolean waitFor(Duration timeout) {
    stopping = true;
    try {
      boolean exited =
          process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      if (exited) {
        awaitOutput();
      }
      return exited;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while waiting for " + this, e);
    }
  }

  /** The exit code of a child that has ended. */
  public int exitCode() {
    return process.exitValue();
  }

  /** Kills the child and everything it started, without grace. */
  @Override
  public void close() {
    stopping = true;
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public ChildCrash crash() {
    return new ChildCrash(component, process.pid(), process.exitValue(), lastLines(), logFile);
  }

  public List<String> lastLines() {
    synchronized (lastLines) {
      return List.copyOf(lastLines);
    }
  }

  private String tail() {
    List<String> lines = lastLines();
    StringBuilder sb =
        new StringBuilder(". Last log lines (full log: ").append(logFile).append("):");
    if (lines.isEmpty()) {
      sb.append("\n  | (no output)");
    }
    lines.forEach(line -> sb.append("\n  | ").append(line));
    return sb.toString();
  }

  private void pumpOutput(boolean echo) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out =
            Files.newBufferedWriter(
                logFile,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        out.flush();
        synchronized (lastLines) {
          if (lastLines.size() == KEPT_LINES) {
            lastLines.removeFirst();
          }
          lastLines.addLast(
              line.length() <= KEPT_LINE_LENGTH
                  ? line
                  : line.substring(0, KEPT_LINE_LENGTH) + " …");
        }
        if (echo) {
          System.out.println("[" + component + "] " + line);
        }
      }
    } catch (IOException e) {
      // The stream closes under us when the child is killed; anything else is worth a line in the
      // log.
      if (!stopping) {
        log.warn("lost the output of {}: {}", component, e.toString());
      }
    }
  }

  /**
   * The output pump reaches end-of-stream shortly after the process exits; reports must include the
   * last lines. Bounded, because a grandchild may still hold the pipe open.
   */
  private void awaitOutput() {
    try {
      pump.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while waiting", e);
    }
  }

  /** One readiness probe; an exception counts as "not yet". */
  @FunctionalInterface
  public interface ReadinessCheck {
    boolean check() throws Exception;
  }
}
