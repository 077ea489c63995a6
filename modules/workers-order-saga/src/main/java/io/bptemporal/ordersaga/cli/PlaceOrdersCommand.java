package io.bptemporal.ordersaga.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of {@link PlaceOrdersMain}.
 *
 * @param demo place the demo orders (and seed their inventory) instead of files
 * @param files place-order JSON documents, one per file; {@code -} reads standard input
 * @param awaitOutcome wait for each saga's outcome (default) or only start them
 * @param timeout how long to wait for one outcome
 */
public record PlaceOrdersCommand(boolean demo, List<Path> files, boolean awaitOutcome, Duration timeout) {
    public static final String USAGE = """
            usage: PlaceOrdersMain [--no-wait] [--timeout SECONDS] (--demo | ORDER.json ...)
              ORDER.json        a place-order document (docs/contracts.md); '-' reads one from standard input
              --demo            seed the demo inventory (DB_URL/DB_USER/DB_PASSWORD of the worker's database) and
                                place the demo orders: one completes, one fails at inventory and is compensated,
                                one is declined at payment, one is over the single-order limit
              --no-wait         start the sagas and print their Web UI links without waiting for the outcome
              --timeout SECONDS how long to wait for each outcome (default 120)
            environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE (orders), TEMPORAL_TASK_QUEUE (orders-tq), TEMPORAL_TLS_*,
              TEMPORAL_API_KEY, TEMPORAL_UI_URL (http://127.0.0.1:8233)""";

    public PlaceOrdersCommand {
        files = List.copyOf(files);
    }

    /** Reads the arguments; a mistake is an IllegalArgumentException whose message says what and what is accepted. */
    public static PlaceOrdersCommand parse(List<String> args) {
        boolean demo = false;
        boolean wait = true;
        Duration timeout = Duration.ofSeconds(120);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--demo" -> demo = true;
                case "--no-wait" -> wait = false;
                case "--timeout" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("--timeout needs a value: a whole number of seconds from 1 to 3600");
                    }
                    timeout = seconds(args.get(++i));
                }
                default -> {
                    if (arg.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option '" + arg + "'; accepted: --demo, --no-wait, --timeout SECONDS");
                    }
                    files.add(Path.of(arg));
                }
            }
        }
        if (demo == !files.isEmpty()) {
            throw new IllegalArgumentException(demo
                    ? "--demo places the demo orders; do not name order files as well (" + files + ")"
                    : "nothing to place: name one or more order files, '-' for standard input, or --demo");
        }
        return new PlaceOrdersCommand(demo, files, wait, timeout);
    }

    private static Duration seconds(String value) {
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 1 && seconds <= 3600) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--timeout '" + value + "' is not accepted: a whole number of seconds from 1 to 3600");
    }
}
