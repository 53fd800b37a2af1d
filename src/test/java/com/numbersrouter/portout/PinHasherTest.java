package com.numbersrouter.portout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import static org.assertj.core.api.Assertions.assertThat;

class PinHasherTest {

    @Test
    void printsASaltedHashTheDirectoryAccepts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = PinHasher.run("048213\n", new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        String hash = out.toString(StandardCharsets.UTF_8).trim();
        assertThat(status).isZero();
        assertThat(hash).startsWith("{bcrypt}").doesNotContain("048213");
        assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches("048213", hash)).isTrue();
    }

    @Test
    void refusesAnEmptyPin() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(PinHasher.run("  ", System.out, new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No PIN");
    }
}
