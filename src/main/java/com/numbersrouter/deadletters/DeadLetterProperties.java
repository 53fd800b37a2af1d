package com.numbersrouter.deadletters;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * The dead-letter queues an operator acts on ({@code /actuator/deadletters}) and counts ({@code numbers_router_dead_letters}).
 *
 * @param brokerQueues  the broker's own dead-letter queues ({@code broker-queue}, one name or several separated by
 *                      commas), listed and replayed beside the node's. One unless the broker keeps a queue per
 *                      destination (ActiveMQ's {@code individualDeadLetterStrategy}). On a shared broker they hold
 *                      every application's dead letters: only those the broker took from one of the node's queues are
 *                      listed, replayed or counted
 * @param routeQueues   queues the operator's own routes consume (the orders-second-destination how-to's
 *                      {@code bandwidth.orders.crm}): what the broker dead-letters from them is the node's too
 * @param countInterval how often the dead-letter queues are counted, with a queue browser (which takes nothing)
 */
@ConfigurationProperties("numbers-router.dead-letters")
public record DeadLetterProperties(
        @Name("broker-queue") @DefaultValue("ActiveMQ.DLQ") List<String> brokerQueues,
        List<String> routeQueues,
        @DefaultValue("1m") Duration countInterval) {

    public DeadLetterProperties {
        brokerQueues = trimmed(brokerQueues);
        if (brokerQueues.isEmpty()) {
            // without one, what the broker dead-letters from the node's queues would go unlisted and uncounted
            throw new IllegalArgumentException("numbers-router.dead-letters.broker-queue must name the broker's"
                    + " dead-letter queue (ActiveMQ's default is ActiveMQ.DLQ)");
        }
        routeQueues = trimmed(routeQueues);
        if (countInterval.isNegative() || countInterval.isZero()) {
            throw new IllegalArgumentException("numbers-router.dead-letters.count-interval must be positive, not "
                    + countInterval);
        }
    }

    private static List<String> trimmed(List<String> names) {
        return names == null ? List.of()
                : names.stream().map(String::trim).filter(name -> !name.isEmpty()).distinct().toList();
    }
}
