package com.numbersrouter.support;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The node's actuator on its management port, as an operator's curl would use it: with the operators' login
 * ({@code curl -u}), sent with every request. {@link #anonymous} is what a probe or a stranger sends.
 */
public final class Management {

    /** The operators' login the test nodes are started with ({@code numbers-router.management.*}). */
    public static final String USERNAME = "operator";
    public static final String PASSWORD = "operator-s3cret-for-tests";

    private final BandwidthClient http;
    private final String authorization;

    public Management(int managementPort) {
        this(managementPort, BandwidthClient.basic(USERNAME, PASSWORD));
    }

    private Management(int managementPort, String authorization) {
        this.http = BandwidthClient.anonymous(managementPort);
        this.authorization = authorization;
    }

    /** Without a login: what Docker's health check, a Kubernetes probe or Prometheus sends. */
    public static Management anonymous(int managementPort) {
        return new Management(managementPort, null);
    }

    /** With the given login, right or wrong. */
    public static Management as(int managementPort, String username, String password) {
        return new Management(managementPort, BandwidthClient.basic(username, password));
    }

    public String health() {
        return get("/actuator/health");
    }

    /** The HTTP status of a health endpoint: what a load balancer or Docker's health check goes by. */
    public int status(String path) {
        return send(request(path).GET()).statusCode();
    }

    public String get(String path) {
        return send(request(path).GET()).body();
    }

    public String post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))).body();
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        return http.send(request);
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = http.request(path);
        return authorization == null ? request : request.header("Authorization", authorization);
    }
}
