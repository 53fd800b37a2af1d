package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** DEBUG is what gets switched on in production to chase a dispute, so that is the level checked here. */
class PortOutValidatorLoggingTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(PortOutValidator.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void captureDebugLogs() {
        previousLevel = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void restoreLogging() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
    }

    @Test
    void logsPonCountAndCodesButNoPinOrStoredValue(@TempDir Path dir) throws IOException {
        PortOutValidator validator = new PortOutValidator(TestSubscribers.directory(dir),
                Rules.subscriberName(PortOutProperties.NameMatch.NORMALISED), TestSubscribers.pinEncoder());
        PortOutValidationRequest request = new PortOutValidationRequest();
        request.setPon("WIN-1\nFORGED log line");
        request.setPin("999999");
        request.setAccountNumber("ACCT-0000000");
        request.setZipCode("90210");
        request.setSubscriberName("Someone Else");
        request.setTelephoneNumbers(List.of(TestSubscribers.TN_1, TestSubscribers.UK_TN, "9195550199"));

        validator.validate(request);
        validator.invalidRequest("WIN-2");

        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .contains("PON=WIN-1?FORGED log line", "numbers=3", "portable=false", "7511", "7513", "7516")
                .doesNotContain("\n");
        assertThat(lines.get(1)).contains("PON=WIN-2");
        for (String line : lines) {
            assertThat(line).doesNotContain("999999", "ACCT-0000000", "90210", "Someone", "0188", "8750", "0199");
            for (String stored : TestSubscribers.STORED_VALUES) {
                assertThat(line).doesNotContain(stored);
            }
        }
    }
}
