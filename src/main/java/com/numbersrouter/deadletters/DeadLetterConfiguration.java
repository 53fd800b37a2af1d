package com.numbersrouter.deadletters;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.core.JmsTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeadLetterProperties.class)
public class DeadLetterConfiguration {

    @Bean
    public DeadLetterCounts deadLetterCounts(ConnectionFactory connectionFactory, DeadLetterEndpoint endpoint,
            MeterRegistry meters, DeadLetterProperties properties) {
        Map<String, Boolean> queues = new LinkedHashMap<>();
        endpoint.queues().forEach(queue -> queues.put(queue, endpoint.isBrokers(queue)));
        DeadLetterBrowser browser = new DeadLetterBrowser(new JmsTemplate(connectionFactory), endpoint.own());
        return new DeadLetterCounts(browser::count, queues, meters, properties.countInterval());
    }

    @Bean
    public DeadLetterEndpoint deadLetterEndpoint(ConnectionFactory connectionFactory, ProducerTemplate camel,
            @Value("${numbers-router.orders.queue}") String ordersQueue,
            @Value("${numbers-router.events.queue}") String eventsQueue,
            @Value("${numbers-router.alerts.storm.digest-queue}") String digestQueue,
            @Value("${numbers-router.alerts.dead-letter-queue}") String alertsDlq,
            @Value("${numbers-router.unclassified.queue}") String unclassifiedQueue,
            @Value("${numbers-router.portout.decisions-queue}") String decisionsQueue,
            DeadLetterProperties properties) {
        Map<String, String> targets = new LinkedHashMap<>();
        // mailed again by the alert consumer
        targets.put(alertsDlq, "jms:queue:" + eventsQueue + "?exchangePattern=InOnly");
        // classified again: stored as an order or event if it now is one, else back on this queue
        targets.put(unclassifiedQueue, "direct:spooled-notification");
        // On a shared broker its dead-letter queue holds every application's dead letters: only those that came from
        // one of these queues are the node's to show or replay.
        Set<String> own = new HashSet<>(List.of(ordersQueue, eventsQueue, digestQueue, alertsDlq, unclassifiedQueue,
                decisionsQueue));
        // queues that edited routes consume (the how-to's CRM queue): the node's too
        own.addAll(properties.routeQueues());
        // what the broker itself dead-lettered: back to the queue it came from
        for (String brokerQueue : properties.brokerQueues()) {
            if (own.contains(brokerQueue)) {
                // its live messages would be listed, counted and replayed as dead letters, or a replay sent to the
                // node's own target for that queue instead of where each message came from
                throw new IllegalStateException("numbers-router.dead-letters.broker-queue names " + brokerQueue
                        + ", which is one of the node's own queues");
            }
            targets.put(brokerQueue, DeadLetterEndpoint.ORIGINAL_DESTINATION);
        }
        return new DeadLetterEndpoint(connectionFactory, camel, targets, new NodeQueues(own));
    }
}
