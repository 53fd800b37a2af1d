import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slow clients against numbers-router (slow-loris): many connections with no credentials that send their request a
 * byte or a header line at a time, and beside them one authenticated order every interval, as Bandwidth would send
 * it. Every interval it prints how many slow connections are open and what the orders got, and how long they took. JDK
 * only: {@code java bench/SlowClients.java --help}. bench/slow-clients.sh starts a node and runs it.
 *
 * <p>Two kinds of slowness: {@code headers} (the request line, then a header line every interval, never the blank
 * line that ends them) and {@code body} (complete headers declaring 16,000 bytes, then a byte every interval). A
 * connection the node closes is opened again, so the pressure stays at {@code --connections}.
 */
public final class SlowClients {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals("--help") || !arg.startsWith("--") || !arg.contains("=")) {
                System.out.println("""
                        java bench/SlowClients.java [--option=value ...]
                          --url=http://localhost:8080/webhooks/bandwidth   webhook URL
                          --user=bandwidth --password=bench                 credentials of the orders sent beside
                          --slow=body              body: headers, then a byte of body at a time; headers: a header
                                                   line at a time, the headers never ending
                          --connections=2000       slow connections kept open
                          --interval=2s            between two pieces of one slow connection (under Tomcat's 5 s)
                          --duration=60s           how long to run (s, m)
                        """);
                return;
            }
            int eq = arg.indexOf('=');
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        new SlowClients(options).run();
    }

    private final URI url;
    private final String slow;
    private final int connections;
    private final long interval;
    private final long duration;
    private final String authorization;
    private final List<SocketChannel> open = new ArrayList<>();
    private final String order;
    private long reopened;

    private SlowClients(Map<String, String> options) throws IOException {
        url = URI.create(options.getOrDefault("url", "http://localhost:8080/webhooks/bandwidth"));
        slow = options.getOrDefault("slow", "body");
        if (!slow.equals("body") && !slow.equals("headers")) {
            throw new IllegalArgumentException("--slow is body or headers");
        }
        connections = Integer.parseInt(options.getOrDefault("connections", "2000"));
        interval = parseDuration(options.getOrDefault("interval", "2s"));
        duration = parseDuration(options.getOrDefault("duration", "60s"));
        authorization = "Basic " + Base64.getEncoder().encodeToString((options.getOrDefault("user", "bandwidth") + ":"
                + options.getOrDefault("password", "bench")).getBytes(StandardCharsets.UTF_8));
        order = Files.readString(Path.of("src/test/resources/payloads/orders/order-complete.xml"));
    }

    private void run() throws Exception {
        long start = System.nanoTime();
        long end = start + duration;
        // one order every interval, sent beside the slow connections on a thread of its own, so that an order the
        // node keeps waiting does not stop the slow connections' pieces (Tomcat would cut them off)
        List<String> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong slowest = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        List<CompletableFuture<?>> orders = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%-6s %10s %10s  %s%n", "t", "slow open", "reopened", "orders answered since the last line");
        for (long next = start; next < end; next += interval) {
            long sent = System.nanoTime();
            // a client of its own each time: a connection of its own, which must get past the slow ones to be accepted
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            orders.add(http.sendAsync(HttpRequest.newBuilder(url)
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", authorization)
                            .header("Content-Type", "application/xml")
                            // unique, so that it is stored and not dropped as a duplicate
                            .POST(HttpRequest.BodyPublishers.ofString(order.replaceFirst("<OrderId>[^<]*</OrderId>",
                                    "<OrderId>" + UUID.randomUUID() + "</OrderId>")))
                            .build(), HttpResponse.BodyHandlers.discarding())
                    .handle((response, failure) -> {
                        long took = (System.nanoTime() - sent) / 1_000_000;
                        slowest.accumulateAndGet(took, Math::max);
                        if (response != null && response.statusCode() == 200) {
                            answered.incrementAndGet();
                        }
                        outcomes.add((response != null ? String.valueOf(response.statusCode())
                                : failure.getCause() != null ? failure.getCause().getClass().getSimpleName()
                                : failure.getClass().getSimpleName()) + " in " + took + " ms");
                        return null;
                    }));
            keepSlowConnectionsOpen(next + interval);
            long wait = next + interval - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String answers;
            synchronized (outcomes) {
                answers = outcomes.isEmpty() ? "none" : String.join(", ", outcomes);
                outcomes.clear();
            }
            System.out.printf(Locale.ROOT, "%-6s %10d %10d  %s%n", (System.nanoTime() - start) / 1_000_000_000L + "s",
                    open.size(), reopened, answers);
        }
        for (SocketChannel channel : open) {
            channel.close();
        }
        CompletableFuture.allOf(orders.toArray(CompletableFuture[]::new)).join();
        System.out.printf(Locale.ROOT, "orders sent beside %d slow (%s) connections: %d, answered 200: %d, slowest %d ms%n",
                connections, slow, orders.size(), answered.get(), slowest.get());
    }

    /** Sends the next piece on every slow connection, drops those the node closed, and opens more up to the count. */
    private void keepSlowConnectionsOpen(long until) {
        int n = 0;
        for (var it = open.iterator(); it.hasNext(); ) {
            SocketChannel channel = it.next();
            try {
                if (channel.read(ByteBuffer.allocate(512)) < 0) {
                    throw new IOException("closed by the node");
                }
                channel.write(ByteBuffer.wrap((slow.equals("headers") ? "X-Slow-" + n++ + ": 1\r\n" : "x")
                        .getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException closed) {
                it.remove();
                reopened++;
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }
        while (open.size() < connections && System.nanoTime() < until) {
            try {
                SocketChannel channel = SocketChannel.open();
                channel.socket().connect(new InetSocketAddress(url.getHost(), url.getPort()), 1_000);
                String start = "POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\n";
                if (slow.equals("body")) {
                    start += "Content-Type: application/xml\r\nContent-Length: 16000\r\n\r\n";
                }
                channel.write(ByteBuffer.wrap(start.getBytes(StandardCharsets.US_ASCII)));
                channel.configureBlocking(false);
                open.add(channel);
            } catch (IOException e) {
                // the accept queue is full: the node takes no more connections for now
                return;
            }
        }
    }

    private static long parseDuration(String text) {
        long value = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(value).toNanos();
            case 'm' -> Duration.ofMinutes(value).toNanos();
            default -> throw new IllegalArgumentException("a duration in s or m: " + text);
        };
    }
}
