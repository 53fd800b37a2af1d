package com.numbersrouter.deadletters;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class DeadLetterConfiguration {

    @Bean
    public DeadLetterEndpoint deadLetterEndpoint(ConnectionFactory connectionFactory, ProducerTemplate camel,
            @Value("${numbers-router.alerts.dead-letter-queue}") String alertsDlq,
            @Value("${numbers-router.events.queue}") String eventsQueue,
            @Value("${numbers-router.unclassified.queue}") String unclassifiedQueue) {
        Map<String, String> targets = new LinkedHashMap<>();
        // mailed again by the alert consumer
        targets.put(alertsDlq, "jms:queue:" + eventsQueue + "?exchangePattern=InOnly");
        // classified again: stored as an order or event if it now is one, else back on this queue
        targets.put(unclassifiedQueue, "direct:spooled-notification");
        // what ActiveMQ itself dead-lettered: back to the queue it came from
        targets.put("ActiveMQ.DLQ", DeadLetterEndpoint.ORIGINAL_DESTINATION);
        return new DeadLetterEndpoint(connectionFactory, camel, targets);
    }
}
