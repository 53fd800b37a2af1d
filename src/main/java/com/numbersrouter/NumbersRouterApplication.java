package com.numbersrouter;

import java.util.Arrays;

import com.numbersrouter.routes.RouteCheckCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class NumbersRouterApplication {

    public static void main(String[] args) {
        if (args.length > 0 && "check".equals(args[0])) {
            System.exit(RouteCheckCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        SpringApplication.run(NumbersRouterApplication.class, args);
    }
}
