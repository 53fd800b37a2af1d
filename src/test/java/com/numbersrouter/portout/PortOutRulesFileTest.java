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
            Rules.defaults();

    @TempDir
    Path temp;

    @Test
    void theFileWinsForTheRulesItSetsAndTheBaseGivesTheRest() throws IOException {
        PortOutProperties rules = PortOutRulesFile.load(write("require-pin: false\nmax-telephone-numbers: 5\n"), BASE)
                .defaults();

        assertThat(rules.requirePin()).isFalse();
        assertThat(rules.maxTelephoneNumbers()).isEqualTo(5);
        assertThat(rules.requireAccountNumber()).isTrue();
        assertThat(rules.subscribersFile()).isEqualTo(BASE.subscribersFile());
    }

    @Test
    void aMissingOrCommentedOutFileMeansTheBase() throws IOException {
        PortOutRuleSet base = PortOutRuleSet.of(BASE);
        assertThat(PortOutRulesFile.load(temp.resolve("absent.yaml"), BASE)).isEqualTo(base);
        assertThat(PortOutRulesFile.load(write("# require-pin: false\n"), BASE)).isEqualTo(base);
        assertThat(PortOutRulesFile.load(Path.of("config/portout-rules.yaml"), BASE)).isEqualTo(base);
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

    /** A mis-indented entry: the file, the line and what is wrong, not only SnakeYAML's "while parsing". */
    @Test
    void badYamlIsReportedWithItsLineAndProblem() throws IOException {
        Path file = write("""
                require-pin: true
                accounts:
                  ACCT-1:
                    check-subscriber-name: true
                   require-zip-code: false
                """);

        assertThatThrownBy(() -> PortOutRulesFile.load(file, BASE))
                .hasMessageStartingWith(file + " line 5: not valid YAML: ")
                .hasMessageContaining("expected <block end>");
    }

    @Test
    void matchModesAndAcceptableValuesAreReadInTheirDocumentedSpelling() throws IOException {
        PortOutProperties rules = PortOutRulesFile.load(write("""
                zip-code-match: zip-plus-4
                subscriber-name-match: exact
                check-number-active: false
                acceptable-values: [telephone-numbers, zip-code]
                """), BASE).defaults();

        assertThat(rules.zipCodeMatch()).isEqualTo(PortOutProperties.ZipCodeMatch.ZIP_PLUS_4);
        assertThat(rules.subscriberNameMatch()).isEqualTo(PortOutProperties.NameMatch.EXACT);
        assertThat(rules.checkNumberActive()).isFalse();
        assertThat(rules.acceptableValues()).containsExactly(PortOutProperties.AcceptableValue.TELEPHONE_NUMBERS,
                PortOutProperties.AcceptableValue.ZIP_CODE);
    }

    @Test
    void acceptableValuesCanNeverListAPinOrAnAccountNumber() throws IOException {
        assertThatThrownBy(() -> PortOutRulesFile.load(write("acceptable-values: [telephone-numbers, pin]\n"), BASE))
                .hasMessageContaining("acceptable-values may never contain 'pin'");
        assertThatThrownBy(() -> PortOutRulesFile.load(write("acceptable-values: account-number\n"), BASE))
                .hasMessageContaining("may never contain 'account-number'");
        assertThatThrownBy(() -> PortOutRulesFile.load(write("acceptable-values: [telephone-numberz]\n"), BASE))
                .hasMessageContaining("acceptable-values");
    }

    @Test
    void accountOverridesStartFromTheFileDefaultsAndChangeOnlyWhatTheyName() throws IOException {
        PortOutRuleSet rules = PortOutRulesFile.load(write("""
                check-subscriber-name: true
                accounts:
                  ACCT-NO-PINS:
                    require-pin: false
                    check-pin: false
                  "  ACCT-STRICT  ":
                    subscriber-name-match: exact
                """), BASE);

        PortOutProperties noPins = rules.forAccount("ACCT-NO-PINS");
        assertThat(noPins.requirePin()).isFalse();
        assertThat(noPins.checkPin()).isFalse();
        assertThat(noPins.checkSubscriberName()).as("from the file's defaults").isTrue();
        assertThat(rules.forAccount(" ACCT-STRICT").subscriberNameMatch()).isEqualTo(PortOutProperties.NameMatch.EXACT);
        assertThat(rules.forAccount("ACCT-OTHER")).isEqualTo(rules.defaults());
        // the log line of the rules in force shows what each override checks, never which account it is
        assertThat(rules.summary())
                .contains("2 account(s) with rules of their own")
                .contains("; 1 with require [account-number zip-code], check [account-number zip-code (five-digit)"
                        + " subscriber-name (normalised) number-active]")
                .contains("; 1 with require [account-number pin zip-code], check [account-number pin zip-code"
                        + " (five-digit) subscriber-name (exact) number-active]")
                .doesNotContain("ACCT");
    }

    @Test
    void anAccountCannotChangeWhatAppliesToTheWholeRequest() throws IOException {
        // an account number is shown by its last characters only: errors are logged and on the health endpoint
        assertThatThrownBy(() -> PortOutRulesFile.load(write("""
                accounts:
                  ACCT-7781234:
                    max-telephone-numbers: 5
                """), BASE))
                .hasMessageContaining("unknown rule 'accounts.\u20261234.max-telephone-numbers'")
                .hasMessageContaining("whole request")
                .hasMessageNotContaining("7781234");
        assertThatThrownBy(() -> PortOutRulesFile.load(write("accounts:\n  ACCT-7781234: true\n"), BASE))
                .hasMessageContaining("accounts.\u20261234 needs 'rule: value' lines")
                .hasMessageNotContaining("7781234");
    }

    private Path write(String content) throws IOException {
        Path file = Files.createTempFile(temp, "rules", ".yaml");
        Files.writeString(file, content);
        return file;
    }
}
