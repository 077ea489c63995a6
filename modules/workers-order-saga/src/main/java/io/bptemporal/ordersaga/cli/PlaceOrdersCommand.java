package io.bptemporal.ordersaga.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * The arguments of {@link PlaceOrdersMain}.
 *
 * @param demo place the demo orders (and seed their inventory) instead of files
 * @param files place-order JSON documents, one per file; {@code -} reads standard input
 * @param awaitOutcome wait for each saga's outcome (default) or only start them
 * @param timeout how long to wait for one outcome
 */
public record PlaceOrdersCommand(
    boolean demo, List<Path> files, boolean awaitOutcome, Duration timeout) {

  public PlaceOrdersCommand {
    files = List.copyOf(files);
  }

  /**
   * The command line as picocli reads it; its usage is what {@code --help} and a usage error print.
   */
  @Command(
      name = "PlaceOrdersMain",
      sortOptions = false,
      description =
          "Places orders (sagas) and prints each outcome with its workflow ID, compensations and Web UI link.",
      footer = {
        "Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE (orders), TEMPORAL_TASK_QUEUE (orders-tq),"
            + " TEMPORAL_TLS_*, TEMPORAL_API_KEY, TEMPORAL_UI_URL (http://127.0.0.1:8233).",
        "Exit status: 0 every order placed (the demo: as it expects), 1 otherwise, 2 bad arguments,"
            + " documents or configuration."
      })
  static final class Arguments {
    @Parameters(
        paramLabel = "ORDER.json",
        arity = "0..*",
        description =
            "a place-order document (docs/contracts.md); '-' reads one from standard input")
    List<Path> files = new ArrayList<>();

    @Option(
        names = "--demo",
        description = {
          "seed the demo inventory (DB_URL/DB_USER/DB_PASSWORD of the worker's"
              + " database) and place the demo orders: one completes, one fails at inventory and is compensated,"
              + " one is declined at payment, one is over the single-order limit"
        })
    boolean demo;

    @Option(
        names = "--no-wait",
        description =
            "start the sagas and print their Web UI links without waiting for" + " the outcome")
    boolean noWait;

    // Text, not int: the message for a bad value names the accepted range, as for the other
    // mistakes.
    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        defaultValue = "120",
        description = "how long to wait for each outcome (default ${DEFAULT-VALUE})")
    String timeout;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "print this usage and exit")
    boolean help;
  }

  /**
   * A command line for {@link Arguments}: {@link #parse(CommandLine, List)} reads arguments with
   * it.
   */
  static CommandLine commandLine() {
    return new CommandLine(new Arguments());
  }

  /**
   * Reads the arguments; a mistake is a {@link ParameterException} whose message says what and what
   * is accepted.
   */
  public static PlaceOrdersCommand parse(List<String> args) {
    return parse(commandLine(), args);
  }

  static PlaceOrdersCommand parse(CommandLine commandLine, List<String> args) {
    commandLine.parseArgs(args.toArray(String[]::new));
    Arguments parsed = commandLine.getCommand();
    Duration timeout = seconds(commandLine, parsed.timeout);
    if (parsed.help) {
      return new PlaceOrdersCommand(parsed.demo, parsed.files, !parsed.noWait, timeout);
    }
    if (parsed.demo == !parsed.files.isEmpty()) {
      throw new ParameterException(
          commandLine,
          parsed.demo
              ? "--demo places the demo orders; do not name order files as well ("
                  + parsed.files
                  + ")"
              : "nothing to place: name one or more order files, '-' for standard input, or --demo");
    }
    return new PlaceOrdersCommand(parsed.demo, parsed.files, !parsed.noWait, timeout);
  }

  private static Duration seconds(CommandLine commandLine, String value) {
    try {
      int seconds = Integer.parseInt(value);
      if (seconds >= 1 && seconds <= 3600) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ParameterException(
        commandLine,
        "--timeout '" + value + "' is not accepted: a whole number of seconds from 1 to 3600");
  }
}
