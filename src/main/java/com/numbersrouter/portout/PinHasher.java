package com.numbersrouter.portout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Prints the {@code pin_hash} column for config/subscribers.csv. The PIN is read from standard input, never from
 * the command line, so it does not end up in shell history or in the process list.
 *
 * <pre>
 * java -cp target/numbers-router.jar -Dloader.main=com.numbersrouter.portout.PinHasher \
 *      org.springframework.boot.loader.launch.PropertiesLauncher
 * </pre>
 */
public final class PinHasher {

    private PinHasher() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (System.console() != null) {
            System.err.print("PIN: ");
        }
        System.exit(run(in.readLine(), System.out, System.err));
    }

    static int run(String pin, PrintStream out, PrintStream err) {
        if (pin == null || pin.isBlank()) {
            err.println("No PIN on standard input");
            return 2;
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        out.println(encoder.encode(pin.trim()));
        return 0;
    }
}
