package com.numbersrouter.portout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

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
    void hashesOnePinPerLineInOrderAtTheCostAsked() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = PinHasher.run("048213\n731904\n", 8, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        List<String> hashes = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(status).isZero();
        assertThat(hashes).hasSize(2).allSatisfy(h -> assertThat(h).startsWith("{bcrypt}$2a$08$"));
        assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches("048213", hashes.get(0))).isTrue();
        assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches("731904", hashes.get(1))).isTrue();
    }

    @Test
    void theCostIsBcryptsWorkFactorWithinItsRange() {
        assertThat(PinHasher.cost(List.of())).isEqualTo(10);
        assertThat(PinHasher.cost(List.of("--cost=8"))).isEqualTo(8);
        assertThatThrownBy(() -> PinHasher.cost(List.of("--cost=3"))).hasMessageContaining("4 to 31");
        assertThatThrownBy(() -> PinHasher.cost(List.of("--cost=ten"))).hasMessageContaining("4 to 31");
        assertThatThrownBy(() -> PinHasher.cost(List.of("048213"))).hasMessageContaining("Unknown argument")
                .hasMessageNotContaining("048213");
    }

    @Test
    void refusesAnEmptyPin() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(PinHasher.run("  ", System.out, new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No PIN");
    }
}
