package io.bptemporal.ordersaga.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.bptemporal.contracts.ContractValidator;
import io.bptemporal.contracts.naming.Namespaces;
import io.bptemporal.contracts.naming.TaskQueues;
import io.bptemporal.contracts.ordersaga.PlaceOrder;
import io.bptemporal.contracts.validation.ValidationResult;
import io.bptemporal.observability.TelemetryConfig;
import io.bptemporal.observability.config.Environment;
import io.bptemporal.observability.logging.Logging;
import io.bptemporal.ordersaga.db.OrdersSchema;
import io.bptemporal.ordersaga.inventory.InventoryReservations;
import io.bptemporal.runtime.database.DatabaseSettings;
import io.bptemporal.runtime.database.Databases;
import io.bptemporal.runtime.temporal.TemporalConnection;
import io.bptemporal.runtime.temporal.TemporalSettings;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Places orders: {@code PlaceOrdersMain order.json ...} or {@code PlaceOrdersMain --demo} (what
 * {@code make run} does). Prints each outcome with its workflow ID, compensations and Web UI link.
 * Exit status: 0 when every order was placed (and, for the demo, ended as the demo expects), 1
 * otherwise, 2 for bad arguments (picocli's usage error, with the usage), documents or
 * configuration. {@code --help} prints the usage.
 */
public final class PlaceOrdersMain {
  private static final String PROCESS = "place-orders";
  private static final URI DEFAULT_UI = URI.create("http://127.0.0.1:8233");

  private PlaceOrdersMain() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(List.of(args), Environment.system(), System.out, System.err));
  }

  /** The command without System.exit, for tests and embedding: returns the exit status. */
  public static int run(List<String> args, Environment env, PrintStream out, PrintStream err)
      throws Exception {
    CommandLine commandLine = PlaceOrdersCommand.commandLine();
    PlaceOrdersCommand command;
    try {
      command = PlaceOrdersCommand.parse(commandLine, args);
    } catch (ParameterException e) {
      err.println(PROCESS + ": " + e.getMessage());
      if (!UnmatchedArgumentException.printSuggestions(e, err)) {
        commandLine.usage(err);
      }
      return CommandLine.ExitCode.USAGE;
    }
    if (commandLine.isUsageHelpRequested()) {
      commandLine.usage(out);
      return CommandLine.ExitCode.OK;
    }
    // LOG_FORMAT / LOG_LEVEL as for every process; without it Logback's default prints gRPC at
    // DEBUG.
    Logging.configure(TelemetryConfig.fromEnvironment(env, PROCESS));
    TemporalSettings temporal =
        TemporalSettings.fromEnvironment(env, Namespaces.ORDERS.name(), TaskQueues.ORDERS);
    URI ui = uiBase(env);
    Optional<DatabaseSettings> database =
        command.demo() ? Optional.of(DatabaseSettings.fromEnvironment(env)) : Optional.empty();
    try {
      env.validate();
    } catch (io.bptemporal.observability.config.ConfigurationException e) {
      err.println(PROCESS + ": " + e.getMessage());
      return 2;
    }
    List<PlaceOrder> orders;
    List<DemoOrders.DemoOrder> demo = List.of();
    if (command.demo()) {
      demo =
          DemoOrders.forRun(
              ZonedDateTime.now(ZoneOffset.UTC)
                  .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      orders = demo.stream().map(DemoOrders.DemoOrder::order).toList();
      seedDemoStock(database.orElseThrow(), out);
    } else {
      Optional<List<PlaceOrder>> read = readOrders(command.files(), err);
      if (read.isEmpty()) {
        return 2;
      }
      orders = read.get();
    }

    try (TemporalConnection connection = TemporalConnection.open(temporal, Optional.empty())) {
      OrderPlacer placer = new OrderPlacer(connection.client(List.of()), temporal.taskQueue(), ui);
      List<WorkflowStub> started = new ArrayList<>();
      for (PlaceOrder order : orders) {
        started.add(placer.start(order));
      }
      int status = 0;
      for (int i = 0; i < orders.size(); i++) {
        PlaceOrder order = orders.get(i);
        if (!command.awaitOutcome()) {
          out.println(placer.started(order).describe());
          continue;
        }
        PlacedOrder placed = placer.await(order, started.get(i), command.timeout());
        if (command.demo()) {
          DemoOrders.DemoOrder expected = demo.get(i);
          out.println("-- " + expected.story());
          out.println(placed.describe());
          boolean asExpected =
              placed
                  .result()
                  .map(
                      r ->
                          r.outcome() == expected.expectedOutcome()
                              && r.compensationsRun().equals(expected.expectedCompensations()))
                  .orElse(false);
          if (!asExpected) {
            out.println(
                "  UNEXPECTED: the demo expects "
                    + expected.expectedOutcome()
                    + " with compensations "
                    + expected.expectedCompensations());
            status = 1;
          }
        } else {
          out.println(placed.describe());
          if (placed.result().isEmpty()) {
            status = 1;
          }
        }
      }
      return status;
    }
  }

  private static URI uiBase(Environment env) {
    Optional<String> value = env.optional("TEMPORAL_UI_URL");
    if (value.isEmpty()) {
      return DEFAULT_UI;
    }
    try {
      URI uri = new URI(value.get());
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    env.problem(
        "TEMPORAL_UI_URL='"
            + value.get()
            + "' is not accepted: use the Web UI's http(s) URL, e.g. "
            + DEFAULT_UI);
    return DEFAULT_UI;
  }

  /**
   * The demo's stock, raised to what it needs; the schema is migrated first, in case the worker has
   * not yet.
   */
  private static void seedDemoStock(DatabaseSettings settings, PrintStream out) {
    try (HikariDataSource pool = Databases.pool(settings, PROCESS)) {
      OrdersSchema.migrate(pool);
      new InventoryReservations(OrdersSchema.dsl(pool)).ensureAvailable(DemoOrders.STOCK);
    }
    out.println("demo stock ensured: " + DemoOrders.STOCK);
  }

  /**
   * Every document is checked before anything is placed; all violations of all files are printed.
   */
  private static Optional<List<PlaceOrder>> readOrders(List<Path> files, PrintStream err)
      throws IOException {
    List<PlaceOrder> orders = new ArrayList<>();
    boolean valid = true;
    for (Path file : files) {
      String name = file.toString().equals("-") ? "(standard input)" : file.toString();
      String json;
      if (file.toString().equals("-")) {
        json = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
      } else if (Files.isRegularFile(file)) {
        json = Files.readString(file);
      } else {
        err.println(PROCESS + ": " + name + " is not a readable file");
        valid = false;
        continue;
      }
      ValidationResult<PlaceOrder> result = ContractValidator.validatePlaceOrder(json);
      if (result.valid()) {
        orders.add(result.orElseThrow());
      } else {
        valid = false;
        result.violations().forEach(v -> err.println(PROCESS + ": " + name + ": " + v));
      }
    }
    return valid ? Optional.of(orders) : Optional.empty();
  }
}
