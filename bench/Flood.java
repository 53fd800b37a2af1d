import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Load generator for numbers-router: sends a mix of Bandwidth webhooks (unique orders, events, port-out
 * validations, malformed XML) from many concurrent clients for a fixed time, and every interval prints the
 * node's request rate, answers by status, latencies per kind and memory (RSS from /proc, heap and live data from
 * the actuator). JDK only: {@code java bench/Flood.java --help}. bench/flood.sh starts a node and runs it.
 *
 * <p>Two ways to load: {@code --concurrency N} clients sending back to back (a flood: how the node behaves beyond
 * its bounds), or {@code --rate R} requests per second spread over the clients (steady load: latency at a given
 * throughput, measured from the planned send time so a stalled node is not hidden).
 */
public final class Flood {

    static final class Kind {
        final String name;
        final int weight;
        final String path;
        final Histogram total = new Histogram();
        Histogram interval = new Histogram();
        final Map<Integer, AtomicLong> statuses = new java.util.concurrent.ConcurrentSkipListMap<>();

        Kind(String name, int weight, String path) {
            this.name = name;
            this.weight = weight;
            this.path = path;
        }

        void record(int status, long nanos) {
            statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            if (status == 200) {
                total.add(nanos);
                interval.add(nanos);
            }
        }
    }

    /** Log-linear latency histogram: 1 µs resolution below 1 ms, then 1% steps up to 60 s. Lock-free. */
    static final class Histogram {
        static final int BUCKETS = 1000 + 1200;
        final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
        final AtomicLong count = new AtomicLong();

        static int bucket(long nanos) {
            long micros = Math.max(0, nanos / 1000);
            if (micros < 1000) {
                return (int) micros;
            }
            int b = 1000 + (int) (Math.log(micros / 1000.0) / Math.log(1.01));
            return Math.min(b, BUCKETS - 1);
        }

        static double upperMillis(int bucket) {
            return bucket < 1000 ? (bucket + 1) / 1000.0 : Math.pow(1.01, bucket - 1000 + 1);
        }

        void add(long nanos) {
            counts.incrementAndGet(bucket(nanos));
            count.incrementAndGet();
        }

        double percentileMillis(double p) {
            long n = count.get();
            if (n == 0) {
                return Double.NaN;
            }
            long rank = (long) Math.ceil(p / 100.0 * n);
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += counts.get(i);
                if (seen >= rank) {
                    return upperMillis(i);
                }
            }
            return upperMillis(BUCKETS - 1);
        }
    }

    private final Map<String, String> options;
    private final HttpClient http;
    private final String authorization;
    private final List<Kind> kinds = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final boolean challenge;
    /** Nothing sent before this (System.nanoTime) is recorded. */
    private volatile long recordFrom;
    /** tn, PIN, account, ZIP of the subscribers port-outs ask about (bench/portout.sh writes them). */
    private final List<String[]> subscribers = new ArrayList<>();

    Flood(Map<String, String> options) {
        this.options = options;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (option("user", "bandwidth") + ":" + option("password", "bench")).getBytes(StandardCharsets.UTF_8));
        this.challenge = Boolean.parseBoolean(option("challenge", "false"));
        String subscriberFile = option("subscribers", "");
        if (!subscriberFile.isBlank()) {
            try {
                Files.readAllLines(Path.of(subscriberFile)).stream().skip(1).map(l -> l.split(","))
                        .forEach(subscribers::add);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        for (String part : option("mix", "orders=70,events=20,portout=5,junk=5").split(",")) {
            String[] kv = part.split("=");
            int weight = Integer.parseInt(kv[1].trim());
            if (weight > 0) {
                String name = kv[0].trim();
                boolean portOut = "portout".equals(name) || "guess".equals(name);
                kinds.add(new Kind(name, weight, portOut ? "/portout-validation" : ""));
            }
        }
    }

    String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.equals("--help") || !arg.startsWith("--") || !arg.contains("=")) {
                System.out.println("""
                        java bench/Flood.java [--option=value ...]
                          --url=http://localhost:8080/webhooks/bandwidth   webhook URL (port-outs go to <url>/portout-validation)
                          --management=http://localhost:8081                actuator, for heap and spool figures (blank: none)
                          --user=bandwidth --password=bench                 webhook credentials
                          --challenge=false        true: every request first gets Bandwidth's 401, then is resent with credentials
                          --duration=60s           how long to send (s, m)
                          --concurrency=64         concurrent clients
                          --rate=0                 requests per second in total (0: as fast as the clients go)
                          --mix=orders=70,events=20,portout=5,junk=5   relative weights; also guess (a port-out
                                                   with a wrong PIN: a brute-force attempt) and baseline (an order
                                                   posted to the bare endpoint /bench/baseline: the ceiling)
                          --subscribers=           CSV (tn,pin,account,zip[,name]) port-outs pick a random subscriber from
                                                   (default: the demo subscriber of config/subscribers.csv)
                          --pid=                   node process id, for its RSS
                          --report-every=30s       interval of the progress lines
                          --warmup=0s              send for this long first without recording (JIT, pools, caches)
                        """);
                return;
            }
            int eq = arg.indexOf('=');
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        new Flood(options).run();
    }

    void run() throws Exception {
        long warmup = parseDuration(option("warmup", "0s"));
        if (warmup > 0) {
            System.out.printf(Locale.ROOT, "warming up for %d s (not recorded)%n", warmup / 1_000_000_000L);
            recordFrom = Long.MAX_VALUE;
            long until = System.nanoTime() + warmup;
            load(until, Integer.parseInt(option("concurrency", "64")), Double.parseDouble(option("rate", "0")));
            sequence.set(0);
        }
        recordFrom = 0;
        long duration = parseDuration(option("duration", "60s"));
        long every = parseDuration(option("report-every", "30s"));
        int concurrency = Integer.parseInt(option("concurrency", "64"));
        double rate = Double.parseDouble(option("rate", "0"));
        long start = System.nanoTime();
        Thread clients = new Thread(() -> {
            try {
                load(start + duration, concurrency, rate);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "clients");
        clients.start();
        System.out.printf(Locale.ROOT, "%-7s %8s %7s %-34s %8s %8s %8s %8s %8s %7s %7s%n", "t", "sent", "req/s",
                "statuses (all kinds)", "order99", "port99", "RSS MiB", "heapMiB", "liveMiB", "spool", "shed");
        long lastCount = 0;
        long lastAt = start;
        boolean done = false;
        while (!done) {
            clients.join(TimeUnit.NANOSECONDS.toMillis(every));
            done = !clients.isAlive();
            long now = System.nanoTime();
            long count = sequence.get();
            report(now - start, count, (count - lastCount) / ((now - lastAt) / 1e9));
            lastCount = count;
            lastAt = now;
        }
        summary(System.nanoTime() - start);
    }

    /** Runs the clients until {@code end} and waits for them (the warm-up). */
    private void load(long end, int concurrency, double rate) throws InterruptedException {
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        for (int c = 0; c < concurrency; c++) {
            int client = c;
            clients.execute(() -> {
                double gap = rate > 0 ? 1e9 * concurrency / rate : 0;
                long next = start + (long) (gap * client / concurrency);
                while (System.nanoTime() < end) {
                    long planned = System.nanoTime();
                    if (rate > 0) {
                        if (next - planned > 0) {
                            sleepNanos(next - planned);
                        }
                        planned = next;
                        next += (long) gap;
                    }
                    sendOne(planned);
                }
            });
        }
        clients.shutdown();
        clients.awaitTermination(1, TimeUnit.HOURS);
    }

    private void sendOne(long planned) {
        long n = sequence.incrementAndGet();
        Kind kind = pick(n);
        byte[] body = payload(kind.name, n);
        String url = option("url", "http://localhost:8080/webhooks/bandwidth") + kind.path;
        if (kind.name.equals("baseline")) {
            url = URI.create(url).resolve("/bench/baseline").toString();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(35))
                .header("Content-Type", "application/xml; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            if (challenge) {
                HttpResponse<Void> first = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
                if (first.statusCode() != 401) {
                    note(kind, first.statusCode(), planned);
                    return;
                }
            }
            HttpResponse<String> response = http.send(request.header("Authorization", authorization).build(),
                    HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 200 && kind.name.equals("portout") && !response.body().contains("<Portable>true")) {
                status = 299; // answered, but not the approval the request deserved
            }
            note(kind, status, planned);
        } catch (IOException e) {
            failures.incrementAndGet();
            note(kind, -1, planned);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void note(Kind kind, int status, long planned) {
        if (recordFrom != Long.MAX_VALUE) {
            kind.record(status, System.nanoTime() - planned);
        }
    }

    private Kind pick(long n) {
        int total = kinds.stream().mapToInt(k -> k.weight).sum();
        int roll = ThreadLocalRandom.current().nextInt(total);
        for (Kind kind : kinds) {
            roll -= kind.weight;
            if (roll < 0) {
                return kind;
            }
        }
        return kinds.get(0);
    }

    /** Unique orders (never deduplicated), events of a few types, port-outs the demo directory approves. */
    private byte[] payload(String kind, long n) {
        String xml = switch (kind) {
            case "orders", "baseline" -> """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <Notification>
                      <SubscriptionId>0d2c1f86-5b3e-4a8e-9c41-7f0e2b1a9d33</SubscriptionId>
                      <OrderType>portins</OrderType>
                      <OrderId>%s</OrderId>
                      <CustomerOrderId>bench-%d</CustomerOrderId>
                      <Status>COMPLETE</Status>
                      <LastModifiedDate>2026-11-27T07:00:00.000Z</LastModifiedDate>
                      <CompletedTelephoneNumbers>
                        <TelephoneNumber>9195550%03d</TelephoneNumber>
                      </CompletedTelephoneNumbers>
                    </Notification>
                    """.formatted(UUID.randomUUID(), n, n % 1000);
            case "events" -> """
                    <?xml version="1.0"?>
                    <Notification>
                      <EventType>%s</EventType>
                      <CompletedTelephoneNumbers>
                        <TelephoneNumber>+1984555%04d</TelephoneNumber>
                      </CompletedTelephoneNumbers>
                      <SubscriptionId>8f9e0d1c-2b3a-4c5d-9e6f-7a8b9c0d1e2f</SubscriptionId>
                      <Message>bench %d</Message>
                    </Notification>
                    """.formatted(n % 3 == 0 ? "MESSAGING_LOST" : "NUMBER_DISCONNECTED", n % 10000, n);
            case "portout", "guess" -> {
                String[] s = subscribers.isEmpty()
                        ? new String[] {"+19195550188", "048213", "ACCT-7781234", "27606", "Acme Plumbing LLC"}
                        : subscribers.get(ThreadLocalRandom.current().nextInt(subscribers.size()));
                String pin = kind.equals("guess")
                        ? String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000)) : s[1];
                yield """
                    <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                    <PortOutValidationRequest>
                      <PON>BENCH-%d</PON>
                      <Pin>%s</Pin>
                      <AccountNumber>%s</AccountNumber>
                      <ZipCode>%s</ZipCode>%s
                      <TelephoneNumbers>
                        <TelephoneNumber>%s</TelephoneNumber>
                      </TelephoneNumbers>
                    </PortOutValidationRequest>
                    """.formatted(n, pin, s[2], s[3],
                        s.length > 4 ? "\n  <SubscriberName>" + s[4] + "</SubscriberName>" : "", s[0]);
            }
            default -> n % 2 == 0
                    ? "<Notification><OrderId>broken-" + n + "</Notification>"
                    : "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><Notification>&a;</Notification>";
        };
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private void report(long elapsed, long count, double perSecond) {
        Map<Integer, Long> statuses = new java.util.TreeMap<>();
        for (Kind kind : kinds) {
            kind.statuses.forEach((s, c) -> statuses.merge(s, c.get(), Long::sum));
        }
        String metrics = scrape();
        Kind orders = find("orders");
        Kind portout = find("portout") != null ? find("portout") : find("guess");
        System.out.printf(Locale.ROOT, "%-7s %8d %7.0f %-34s %8s %8s %8s %8s %8s %7s %7s%n",
                (elapsed / 1_000_000_000L) + "s", count, perSecond, statuses.toString(),
                ms(orders == null ? null : swap(orders)), ms(portout == null ? null : swap(portout)),
                rssMiB(), mib(sample(metrics, "jvm_memory_used_bytes", "area=\"heap\"")),
                mib(sample(metrics, "jvm_gc_live_data_size_bytes", "")),
                count(sample(metrics, "numbers_router_spool_depth", "")),
                count(sample(metrics, "numbers_router_webhooks_shed_total", "")));
    }

    private static Histogram swap(Kind kind) {
        Histogram last = kind.interval;
        kind.interval = new Histogram();
        return last;
    }

    private void summary(long elapsed) {
        System.out.printf(Locale.ROOT, "%nTotal: %d requests in %.0f s (%.0f/s), %d connection failures%n",
                sequence.get(), elapsed / 1e9, sequence.get() / (elapsed / 1e9), failures.get());
        for (Kind kind : kinds) {
            System.out.printf(Locale.ROOT, "  %-8s statuses %-40s latency of 200s: p50 %s  p99 %s  p99.9 %s  max %s ms%n",
                    kind.name, kind.statuses.toString(), ms(kind.total, 50), ms(kind.total, 99),
                    ms(kind.total, 99.9), ms(kind.total, 100));
        }
        System.out.println("  (portout 299 = answered 200 but not approved; -1 = connection failed)");
    }

    private Kind find(String name) {
        return kinds.stream().filter(k -> k.name.equals(name)).findFirst().orElse(null);
    }

    private static String ms(Histogram histogram) {
        return ms(histogram, 99);
    }

    private static String ms(Histogram histogram, double p) {
        if (histogram == null || histogram.count.get() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f", histogram.percentileMillis(p));
    }

    private String rssMiB() {
        String pid = option("pid", "");
        if (pid.isBlank()) {
            return "-";
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.valueOf(kb / 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            return "?";
        }
        return "?";
    }

    /** Sums the samples of one Prometheus metric whose labels contain {@code labels}. */
    static double sample(String exposition, String name, String labels) {
        double sum = Double.NaN;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name) && (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ')
                    && line.contains(labels)) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                sum = Double.isNaN(sum) ? value : sum + value;
            }
        }
        return sum;
    }

    private String scrape() {
        String management = option("management", "http://localhost:8081");
        if (management.isBlank()) {
            return "";
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create(management + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | RuntimeException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String mib(double bytes) {
        return Double.isNaN(bytes) ? "-" : String.valueOf(Math.round(bytes / (1024 * 1024)));
    }

    private static String count(double value) {
        return Double.isNaN(value) ? "-" : String.valueOf(Math.round(value));
    }

    static long parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return TimeUnit.MILLISECONDS.toNanos(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("h")) {
            return TimeUnit.HOURS.toNanos(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return TimeUnit.MINUTES.toNanos(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("s")) {
            return TimeUnit.SECONDS.toNanos(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return TimeUnit.SECONDS.toNanos(Long.parseLong(t));
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
