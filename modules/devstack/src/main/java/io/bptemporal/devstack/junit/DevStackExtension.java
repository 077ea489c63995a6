package io.bptemporal.devstack.junit;

import io.bptemporal.devstack.ChildCrash;
import io.bptemporal.devstack.DevStack;
import io.bptemporal.devstack.DevStackConfig;
import io.bptemporal.devstack.DevStackException;
import io.bptemporal.devstack.StackEndpoints;
import io.bptemporal.devstack.ToolLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives integration tests a real stack: {@code @ExtendWith(DevStackExtension.class)}, then take a
 * {@link StackEndpoints} parameter. One stack per test JVM (started on first use, stopped when the
 * JVM's tests are done), on free ports so a developer's running {@code make run} never collides.
 * The source follows {@link StackSource#choose}; a crashed component fails the following tests with
 * its report.
 */
public class DevStackExtension implements ParameterResolver, BeforeEachCallback {
  private static final Logger log = LoggerFactory.getLogger(DevStackExtension.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DevStackExtension.class);

  // SecureDevStackExtension: a second stack of the JVM, always with mutual TLS and authorization.
  private final boolean secure;

  public DevStackExtension() {
    this(false);
  }

  DevStackExtension(boolean secure) {
    this.secure = secure;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == StackEndpoints.class || type == DevStack.class;
  }

  /**
   * {@link StackEndpoints} for every test; {@link DevStack} (fault injection: stop and restart the
   * server) only when the stack was started from local binaries - otherwise the test is skipped,
   * saying why.
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    SharedStack stack = shared(context, secure);
    if (parameter.getParameter().getType() == StackEndpoints.class) {
      return stack.endpoints();
    }
    return stack
        .local
        .filter(s -> s.config().existingTemporal().isEmpty())
        .orElseThrow(
            () ->
                new TestAbortedException(
                    "skipped: this test stops and restarts the Temporal server, which needs the stack started from local "
                        + "binaries; the stack here comes from "
                        + stack.endpoints().provider()));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    shared(context, secure).failIfCrashed();
  }

  /** The stack of this test JVM, started on first use. */
  public static StackEndpoints endpoints(ExtensionContext context) {
    return shared(context, false).endpoints();
  }

  private static SharedStack shared(ExtensionContext context, boolean secure) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            secure ? "secure-stack" : "stack",
            k -> secure ? SharedStack.openSecure() : SharedStack.open(),
            SharedStack.class);
  }

  /**
   * Closed by JUnit when the root context closes (AutoCloseable values in the store are closed).
   */
  static final class SharedStack implements AutoCloseable {
    private final AutoCloseable resource;
    private final StackEndpoints endpoints;
    private final Optional<DevStack> local;

    private SharedStack(
        AutoCloseable resource, StackEndpoints endpoints, Optional<DevStack> local) {
      this.resource = resource;
      this.endpoints = endpoints;
      this.local = local;
    }

    static SharedStack open() {
      Optional<ToolLocator> tools = locateTools();
      StackSource.Choice choice =
          StackSource.choose(
              System::getenv,
              () -> tools.map(ToolLocator::hasLocalStackBinaries).orElse(false),
              ContainerStack::dockerAnswers);
      log.info("integration-test stack: {} ({})", choice.source(), choice.reason());
      if (choice.source() == StackSource.TESTCONTAINERS) {
        ContainerStack containers = ContainerStack.start();
        return new SharedStack(containers, containers.endpoints(), Optional.empty());
      }
      // ENVIRONMENT still needs the tools directory when it must start a local PostgreSQL.
      ToolLocator locator = tools.orElseGet(ToolLocator::discover);
      DevStack stack =
          DevStack.start(DevStackConfig.forTests(locator, newWorkDir(), System::getenv));
      return new SharedStack(stack, stack.endpoints(), Optional.of(stack));
    }

    /**
     * A stack from the local binaries with mutual TLS and authorization, whatever the environment
     * says (existing services are not used: their security is not the stack's to switch on).
     */
    static SharedStack openSecure() {
      Optional<ToolLocator> tools = locateTools();
      if (tools.isEmpty() || !tools.get().hasLocalStackBinaries()) {
        throw new TestAbortedException(
            "skipped: the TLS and authorization tests configure the server the stack starts,"
                + " which needs the bootstrap's local binaries (run scripts/bootstrap)");
      }
      java.util.function.Function<String, String> env =
          name ->
              switch (name) {
                // Only PostgreSQL and Kafka may come from the environment.
                case "TEMPORAL_ADDRESS" -> null;
                default -> System.getenv(name);
              };
      DevStack stack =
          DevStack.start(
              DevStackConfig.forTests(tools.get(), newWorkDir(), env).withSecurity(true, true));
      log.info(
          "integration-test stack with mutual TLS and authorization (SecureDevStackExtension)");
      return new SharedStack(stack, stack.endpoints(), Optional.of(stack));
    }

    StackEndpoints endpoints() {
      failIfCrashed();
      return endpoints;
    }

    void failIfCrashed() {
      local
          .flatMap(s -> Optional.ofNullable(s.crashed().getNow(null)))
          .map(ChildCrash::report)
          .ifPresent(
              report -> {
                throw new DevStackException("the test stack lost a component: " + report);
              });
    }

    @Override
    public void close() throws Exception {
      resource.close();
    }

    private static Optional<ToolLocator> locateTools() {
      try {
        return Optional.of(ToolLocator.discover());
      } catch (DevStackException notBootstrapped) {
        return Optional.empty();
      }
    }

    private static Path newWorkDir() {
      try {
        // World-traversable: as root, PostgreSQL runs as 'postgres' and must reach its data
        // directory.
        Path dir = Files.createTempDirectory("bp-devstack-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
      } catch (IOException e) {
        throw new DevStackException(
            "cannot create a temporary directory for the test stack: " + e.getMessage(), e);
      }
    }
  }
}
