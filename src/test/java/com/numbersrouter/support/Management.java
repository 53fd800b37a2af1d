package com.numbersrouter.support;

import java.net.http.HttpRequest;

/** The node's actuator on its management port, as an operator's curl would use it. */
public final class Management {

    private final BandwidthClient http;

    public Management(int managementPort) {
        this.http = BandwidthClient.anonymous(managementPort);
    }

    public String health() {
        return get("/actuator/health");
    }

    /** The HTTP status of a health endpoint: what a load balancer or Docker's health check goes by. */
    public int status(String path) {
        return http.send(http.request(path).GET()).statusCode();
    }

    public String get(String path) {
        return http.send(http.request(path).GET()).body();
    }

    public String post(String path, String json) {
        return http.send(http.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))).body();
    }
}
