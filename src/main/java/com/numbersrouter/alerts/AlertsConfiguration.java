package com.numbersrouter.alerts;

import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Properties;

import jakarta.jms.ConnectionFactory;
import com.numbersrouter.dedupe.NotificationKeys;
import com.numbersrouter.infra.ElapsedClock;
import com.numbersrouter.ingress.WebhookClassifier;
import org.apache.activemq.RedeliveryPolicy;
import org.apache.activemq.command.ActiveMQQueue;
import org.apache.camel.ProducerTemplate;

import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jms.activemq.ActiveMQConnectionFactoryCustomizer;
import org.springframework.boot.autoconfigure.mail.MailProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans {@code routes/alerts.camel.yaml} calls by name, and camel-mail wired to Spring Boot's spring.mail.*. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MailProperties.class)
public class AlertsConfiguration {

    @Bean
    public EventJmsProperties eventJmsProperties(NotificationKeys notificationKeys) {
        return new EventJmsProperties(notificationKeys);
    }

    @Bean
    public EventAlertComposer eventAlertComposer(AlertProperties properties) {
        return new EventAlertComposer(properties.subjectPrefix());
    }

    @Bean
    public AlertStormGuard alertStormGuard(AlertProperties properties) {
        // on elapsed time: a step of the host's clock must not end or stretch a storm's window
        return new AlertStormGuard(properties.storm().window(), new ElapsedClock());
    }

    @Bean
    public AlertDigest alertDigest(ConnectionFactory connectionFactory, AlertProperties properties,
            WebhookClassifier webhookClassifier, EventAlertComposer eventAlertComposer, ProducerTemplate camel,
            AlertMetrics alertMetrics) {
        return new AlertDigest(connectionFactory, properties.storm().digestQueue(), properties.deadLetterQueue(),
                webhookClassifier, eventAlertComposer, camel, "direct:alert-mail-send",
                properties.storm().csvAttachmentAbove(), properties.storm().maxFailedDigests(), alertMetrics);
    }

    /**
     * The node's alert routes decide when an event gives up, not the broker. Each time a transaction on the events or
     * digest queue rolls back, the ActiveMQ client counts a redelivery, and after its default of 6 it moves the event
     * to ActiveMQ.DLQ, silently (no reason, no metric of the node's):
     * <ul>
     * <li>the digest rolls back every window that cannot mail: about 35 minutes at the 5-minute window.
     * {@link AlertDigest} instead moves the events to the alerts' dead-letter queue, with the reason, after
     * numbers-router.alerts.storm.max-failed-digests windows;</li>
     * <li>an event being mailed rolls back only when its retries are cut short (the node stopped or restarted, the
     * route replaced by an edit, the broker bounced), each of which can come several times in one SMTP outage.
     * alert-delivery's error handler bounds its retries and dead-letters it with the reason.</li>
     * </ul>
     */
    @Bean
    public ActiveMQConnectionFactoryCustomizer alertQueuesRedeliveredWithoutLimit(AlertProperties properties,
            @Value("${numbers-router.events.queue}") String eventsQueue) {
        return factory -> {
            for (String queue : List.of(eventsQueue, properties.storm().digestQueue())) {
                ActiveMQQueue destination = new ActiveMQQueue(queue);
                RedeliveryPolicy unlimited = factory.getRedeliveryPolicy().copy();
                unlimited.setMaximumRedeliveries(RedeliveryPolicy.NO_MAXIMUM_REDELIVERIES);
                unlimited.setDestination(destination);
                factory.getRedeliveryPolicyMap().put(destination, unlimited);
            }
        };
    }

    @Bean
    public DeliveryAttempts deliveryAttempts(AlertMetrics alertMetrics) {
        return new DeliveryAttempts(alertMetrics);
    }

    @Bean
    public AlertMetrics alertMetrics(MeterRegistry meters) {
        return new AlertMetrics(meters);
    }

    @Bean
    public DeadLetterReason deadLetterReason(AlertMetrics alertMetrics) {
        return new DeadLetterReason(alertMetrics);
    }

    /**
     * Operators already know {@code spring.mail.*}; camel-mail has its own names. Host and port appear in the
     * route's URI; credentials and JavaMail properties are applied here so they never appear in a route file.
     */
    @Bean
    public ComponentCustomizer smtpFromSpringMailProperties(MailProperties mail) {
        return ComponentCustomizer.builder(MailComponent.class).build(component -> {
            if (mail.getUsername() != null && !mail.getUsername().isBlank()) {
                component.getConfiguration().setUsername(mail.getUsername());
                component.getConfiguration().setPassword(mail.getPassword());
            }
            Properties javaMail = new Properties();
            // Fail fast when the SMTP server is unreachable: the retry policy in the route does the waiting.
            javaMail.put("mail.smtp.connectiontimeout", "10000");
            javaMail.put("mail.smtp.timeout", "10000");
            javaMail.put("mail.smtp.writetimeout", "10000");
            javaMail.putAll(mail.getProperties());
            component.getConfiguration().setAdditionalJavaMailProperties(javaMail);
        });
    }
}
