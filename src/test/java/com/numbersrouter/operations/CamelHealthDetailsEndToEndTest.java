package com.numbersrouter.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.numbersrouter.support.IsolatedNode;
import com.numbersrouter.support.Management;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * A Camel health check that fails with an exception (a consumer an operator added to a route, say) shows on the
 * health endpoint by its name and state, never with the exception's stack trace, even to an operator: a stack trace
 * names classes and versions, and an exception's message may carry a URL with its password.
 */
@IsolatedNode
@Import(CamelHealthDetailsEndToEndTest.BrokenCheck.class)
class CamelHealthDetailsEndToEndTest {

    @LocalManagementPort
    int managementPort;

    @Test
    void aFailingCamelCheckIsNamedWithoutItsStackTrace() {
        String health = new Management(managementPort).health();

        assertThat(health).contains("\"camelHealth\":{\"status\":\"DOWN\"").contains("\"broken-consumer\":\"DOWN\"");
        assertThat(health).doesNotContain("stacktrace").doesNotContain("\\tat ").doesNotContain("hunter2")
                .doesNotContain("IllegalStateException");
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class BrokenCheck {

        @Bean
        AbstractHealthCheck brokenConsumer() {
            return new AbstractHealthCheck("custom", "broken-consumer") {
                @Override
                protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                    builder.down().message("cannot reach the ESB")
                            .error(new IllegalStateException("connect to tcp://esb:61616?jms.password=hunter2 failed"));
                }
            };
        }
    }
}
