package com.numbersrouter.portout;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Prints the {@code pin_hash} column for config/subscribers.csv (or the JDBC table). PINs are read from standard
 * input, one per line, never from the command line, so they do not end up in shell history or in the process list;
 * one {@code {bcrypt}} hash is printed per PIN, in order (so a whole export can be converted at once).
 *
 * <pre>
 * java -cp target/numbers-router.jar -Dloader.main=com.numbersrouter.portout.PinHasher \
 *      org.springframework.boot.loader.launch.PropertiesLauncher [--cost=10]
 * </pre>
 *
 * <p>{@code --cost} is bcrypt's work factor (4 to 31, default 10): each step doubles the time of every check. See the
 * README ("PIN hash cost") for what it buys for PINs and what it costs in latency.
 */
public final class PinHasher {

    static final int DEFAULT_COST = 10;

    private PinHasher() {
    }

    public static void main(String[] args) throws IOException {
        int cost;
        try {
            cost = cost(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Console console = System.console();
        if (console != null) {
            // typed by hand: one PIN, not shown on the screen (nor kept by a terminal's scroll-back or recording)
            char[] pin = console.readPassword("PIN: ");
            System.exit(run(pin == null ? "" : new String(pin) + "\n", cost, System.out, System.err));
            return;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder pins = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            pins.append(line).append('\n');
        }
        System.exit(run(pins.toString(), cost, System.out, System.err));
    }

    static int cost(List<String> args) {
        int cost = DEFAULT_COST;
        for (String arg : args) {
            if (!arg.startsWith("--cost=")) {
                // not echoed: it may be a PIN typed on the command line by mistake
                throw new IllegalArgumentException("Unknown argument: PINs are read from standard input"
                        + " (usage: [--cost=4..31])");
            }
            try {
                cost = Integer.parseInt(arg.substring("--cost=".length()));
            } catch (NumberFormatException e) {
                cost = -1;
            }
            if (cost < 4 || cost > 31) {
                throw new IllegalArgumentException("--cost must be a number from 4 to 31");
            }
        }
        return cost;
    }

    static int run(String pins, PrintStream out, PrintStream err) {
        return run(pins, DEFAULT_COST, out, err);
    }

    /** @param pins one PIN per line; blank lines are refused (an empty PIN on file means "no PIN") */
    static int run(String pins, int cost, PrintStream out, PrintStream err) {
        List<String> lines = pins == null ? List.of() : pins.lines().map(String::strip).toList();
        if (lines.isEmpty() || lines.stream().anyMatch(String::isEmpty)) {
            err.println("No PIN on standard input (or an empty line among them)");
            return 2;
        }
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(cost);
        for (String pin : lines) {
            out.println("{bcrypt}" + bcrypt.encode(pin));
        }
        return 0;
    }
}
