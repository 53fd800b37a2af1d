package com.numbersrouter.deadletters;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The dead-letter queues an operator acts on ({@code /actuator/deadletters}) and counts ({@code numbers_router_dead_letters}).
 *
 * @param brokerQueue   the broker's own dead-letter queue, listed and replayed beside the node's. On a shared broker it
 *                      holds every application's dead letters: only those the broker took from one of the node's
 *                      queues are listed, replayed or counted
 * @param routeQueues   queues the operator's own routes consume (the orders-second-destination how-to's
 *                      {@code bandwidth.orders.crm}): what the broker dead-letters from them is the node's too
 * @param countInterval how often the dead-letter queues are counted, with a queue browser (which takes nothing)
 */
@ConfigurationProperties("numbers-router.dead-letters")
public record DeadLetterProperties(
        @DefaultValue("ActiveMQ.DLQ") String brokerQueue,
        List<String> routeQueues,
        @DefaultValue("1m") Duration countInterval) {

    public DeadLetterProperties {
        routeQueues = routeQueues == null ? List.of()
                : routeQueues.stream().map(String::trim).filter(name -> !name.isEmpty()).toList();
        if (countInterval.isNegative() || countInterval.isZero()) {
            throw new IllegalArgumentException("numbers-router.dead-letters.count-interval must be positive, not "
                    + countInterval);
        }
    }
}
