package com.numbersrouter.orders;

import com.numbersrouter.dedupe.NotificationKeys;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans {@code routes/orders.camel.yaml} calls by name. */
@Configuration(proxyBeanMethods = false)
public class OrdersConfiguration {

    @Bean
    public OrderJmsProperties orderJmsProperties(NotificationKeys notificationKeys) {
        return new OrderJmsProperties(notificationKeys);
    }
}
