package com.numbersrouter.portout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortOutRulesFileTest {

    private static final PortOutProperties BASE =
            new PortOutProperties(Path.of("config/subscribers.csv"), true, true, true, false, 100);

    @TempDir
    Path temp;

    @Test
    void theFileWinsForTheRulesItSetsAndTheBaseGivesTheRest() throws IOException {
        PortOutProperties rules = PortOutRulesFile.load(write("require-pin: false\nmax-telephone-numbers: 5\n"), BASE);

        assertThat(rules.requirePin()).isFalse();
        assertThat(rules.maxTelephoneNumbers()).isEqualTo(5);
        assertThat(rules.requireAccountNumber()).isTrue();
        assertThat(rules.subscribersFile()).isEqualTo(BASE.subscribersFile());
    }

    @Test
    void aMissingOrCommentedOutFileMeansTheBase() throws IOException {
        assertThat(PortOutRulesFile.load(temp.resolve("absent.yaml"), BASE)).isEqualTo(BASE);
        assertThat(PortOutRulesFile.load(write("# require-pin: false\n"), BASE)).isEqualTo(BASE);
        assertThat(PortOutRulesFile.load(Path.of("config/portout-rules.yaml"), BASE)).isEqualTo(BASE);
    }

    @Test
    void aTypoIsRefusedRatherThanSilentlyIgnored() throws IOException {
        Path file = write("require-pinn: false\n");

        assertThatThrownBy(() -> PortOutRulesFile.load(file, BASE))
                .hasMessageContaining("unknown rule 'require-pinn'").hasMessageContaining(file.toString());
    }

    @Test
    void wrongValuesAndBadYamlAreRefused() throws IOException {
        assertThatThrownBy(() -> PortOutRulesFile.load(write("require-pin: sometimes\n"), BASE))
                .hasMessageContaining("require-pin");
        assertThatThrownBy(() -> PortOutRulesFile.load(write("max-telephone-numbers: 0\n"), BASE))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> PortOutRulesFile.load(write("require-pin: [true\n"), BASE))
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> PortOutRulesFile.load(write("- require-pin\n"), BASE))
                .hasMessageContaining("expected 'rule: value' lines");
    }

    private Path write(String content) throws IOException {
        Path file = Files.createTempFile(temp, "rules", ".yaml");
        Files.writeString(file, content);
        return file;
    }
}
