package com.numbersrouter.support;

import java.io.IOException;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Posts webhooks the way Bandwidth does. {@link #bandwidth} sends without credentials, and only after a
 * {@code 401} carrying {@code WWW-Authenticate: Basic} retries with them (java.net.http's Authenticator follows
 * exactly that flow). {@link #anonymous} never authenticates, for the challenge itself and for raw requests.
 */
public final class BandwidthClient {

    public static final String USERNAME = "bandwidth-test";
    public static final String PASSWORD = "s3cret-for-tests";

    private final HttpClient http;
    private final String baseUrl;

    private BandwidthClient(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    public static BandwidthClient bandwidth(int port) {
        return bandwidth(port, USERNAME, PASSWORD);
    }

    public static BandwidthClient bandwidth(int port, String username, String password) {
        return new BandwidthClient(challenged(username, password).build(), "http://127.0.0.1:" + port);
    }

    /** Bandwidth over HTTPS, trusting the node's certificate through {@code tls}. */
    public static BandwidthClient bandwidthOverTls(int port, javax.net.ssl.SSLContext tls) {
        return new BandwidthClient(challenged(USERNAME, PASSWORD).sslContext(tls).build(), "https://127.0.0.1:" + port);
    }

    /** A client that answers the 401 challenge with these credentials, as Bandwidth does. */
    private static HttpClient.Builder challenged(String username, String password) {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .authenticator(new Authenticator() {
                    @Override
                    protected PasswordAuthentication getPasswordAuthentication() {
                        return new PasswordAuthentication(username, password.toCharArray());
                    }
                });
    }

    public static BandwidthClient anonymous(int port) {
        return new BandwidthClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                "http://127.0.0.1:" + port);
    }

    public static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> post(String path, String xml) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8))
                .header("Content-Type", "application/xml; charset=utf-8"));
    }

    public HttpResponse<String> post(String path, byte[] body, String... headers) {
        HttpRequest.Builder builder = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder);
    }

    public HttpResponse<String> send(HttpRequest.Builder builder) {
        try {
            return http.send(builder.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path));
    }
}
