package com.numbersrouter.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.numbersrouter.NumbersRouterApplication;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * A node of its own, for tests that stop its servers or change its files: closed after the test class, so its
 * consumers and watchers cannot touch what other tests do. Add servers with {@code @DynamicPropertySource} and
 * settings with {@code @TestPropertySource}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CamelSpringBootTest
@DirtiesContext
@SpringBootTest(classes = NumbersRouterApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "numbers-router.webhook.credentials.bandwidth-test.username=" + BandwidthClient.USERNAME,
                "numbers-router.webhook.credentials.bandwidth-test.password=" + BandwidthClient.PASSWORD,
                "numbers-router.management.password=" + Management.PASSWORD,
                // every node its own spool, or one node's forwarder would forward another's notifications
                "numbers-router.spool.directory=target/test-spool/${random.uuid}",
                // and its own port-out audit journal, out of the working directory's data/
                "numbers-router.portout.audit.directory=target/test-portout-decisions/${random.uuid}"
        })
public @interface IsolatedNode {
}
