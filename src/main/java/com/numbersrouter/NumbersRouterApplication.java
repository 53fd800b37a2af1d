package com.numbersrouter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class NumbersRouterApplication {

    public static void main(String[] args) {
        SpringApplication.run(NumbersRouterApplication.class, args);
    }
}
