package com.numbersrouter.portout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The choice of source alone; the sources themselves are tested end to end. */
class SubscriberSourceConfigurationTest {

    @Test
    void aMisspeltSourceStopsStartUpNamingTheProperty() {
        new ApplicationContextRunner()
                .withUserConfiguration(SubscriberSourceConfiguration.class)
                .withPropertyValues("numbers-router.portout.subscriber-source=jbdc")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessage("numbers-router.portout.subscriber-source must be csv or jdbc, not 'jbdc'"));
    }
}
