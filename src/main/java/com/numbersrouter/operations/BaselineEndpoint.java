package com.numbersrouter.operations;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The ceiling for the benchmark (bench/compare.sh): a bare Spring MVC endpoint in the node's own JVM that reads the
 * body, parses nothing and answers 200. Off unless {@code numbers-router.bench.baseline-endpoint=true}; never
 * switch it on where the internet can reach it.
 */
@RestController
@ConditionalOnProperty(name = "numbers-router.bench.baseline-endpoint", havingValue = "true")
public class BaselineEndpoint {

    public static final String PATH = "/bench/baseline";

    @PostMapping(PATH)
    public ResponseEntity<Void> accept(@RequestBody byte[] body) {
        return ResponseEntity.ok().build();
    }
}
