package io.warren.it.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.Connector;
import io.warren.examples.worker.ComputeWorker;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import io.warren.it.support.ThrowawayNodes;
import io.warren.it.support.Tomcat;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The demo WAR in Debian's Tomcat 10.1 while its broker is down for 20 s: 50 HTTP clients call
 * {@code GET /servers} (an RPC call to the compute worker, 10 s timeout) without pause, and the
 * broker, a throw-away node (never the machine's), stops its application ({@code stop_app}) and
 * starts it again. Every request ends within the call's timeout plus a grace, with the answer or
 * a 503/504 naming Warren's error; a page that does no messaging (a static 404 from Tomcat's
 * default servlet) answers throughout, so request threads are never all held; the health endpoint
 * says 503 within the heartbeat bound of the stop and 200 again after the start.
 */
class TomcatOutageIT {
    static final int CLIENTS = 50;
    static final Duration OUTAGE = Duration.ofSeconds(20);
    static final int HEARTBEAT_SECONDS = 4;
    /** The servlet's call timeout (ServersServlet) and what a request may take beyond it. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    static final Duration GRACE = Duration.ofSeconds(3);

    private final TestBroker broker = TestBroker.shared();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Test
    void fiftyRequestThreadsThroughATwentySecondBrokerOutage() throws Exception {
        broker.requireRabbitMq("a broker outage under the demo WAR in Tomcat (a throw-away node)");
        Tomcat.Distribution.debianTomcat10().require();
        Path war = Path.of(System.getProperty("warren.it.demoWar", "../examples/target/examples-0.1.0-SNAPSHOT.war"));
        assertThat(war).isRegularFile();
        try (ThrowawayNodes nodes = ThrowawayNodes.create(broker, "stopping the broker under a Tomcat webapp")) {
            ThrowawayNodes.Cluster node = nodes.startCluster(1);
            Rabbitmqctl ctl = nodes.rabbitmqctl(node.nodeName(0));
            String url = node.transportUrl();
            Connector worker = ComputeWorker.start(url, Map.of("rabbit_retry_interval", "1", "rabbit_interval_max", "2"));
            Tomcat tomcat = null;
            List<Thread> clients = new ArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            try {
                tomcat = Tomcat.start(Tomcat.Distribution.debianTomcat10(), Map.of("WARREN_URL", url,
                        "WARREN_HEARTBEAT_TIMEOUT_THRESHOLD", String.valueOf(HEARTBEAT_SECONDS),
                        "WARREN_RABBIT_RETRY_INTERVAL", "1", "WARREN_RABBIT_INTERVAL_MAX", "2"));
                String app = tomcat.url("/servers");
                tomcat.deploy(war, "servers");
                tomcat.awaitStatus(app + "/warren/health", 200, Duration.ofSeconds(90));
                assertThat(send(app + "/servers", Duration.ofSeconds(20)).statusCode()).isEqualTo(200);

                Outcomes outcomes = new Outcomes();
                for (int c = 0; c < CLIENTS; c++) {
                    Thread t = new Thread(() -> {
                        while (running.get()) {
                            outcomes.record(app + "/servers", this);
                        }
                    }, "it-http-client-" + c);
                    clients.add(t);
                    t.start();
                }
                // A page without messaging, polled throughout: the longest wait for it is the figure.
                AtomicLong slowestStaticNanos = new AtomicLong();
                AtomicInteger staticFailures = new AtomicInteger();
                Thread staticPoller = new Thread(() -> {
                    while (running.get()) {
                        long t0 = System.nanoTime();
                        try {
                            int status = send(app + "/no-messaging-here.txt", Duration.ofSeconds(10)).statusCode();
                            if (status != 404) {
                                staticFailures.incrementAndGet();
                            }
                        } catch (IOException | InterruptedException e) {
                            staticFailures.incrementAndGet();
                        }
                        slowestStaticNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                        sleep(100);
                    }
                }, "it-http-static");
                staticPoller.start();
                sleep(3000);
                long answeredBefore = outcomes.answered.get();
                assertThat(answeredBefore).as("calls answered before the outage").isPositive();

                long t0 = System.nanoTime();
                ctl.run("stop_app");
                double healthDownAfter;
                try {
                    tomcat.awaitStatus(app + "/warren/health", 503, Duration.ofSeconds(3L * HEARTBEAT_SECONDS));
                    healthDownAfter = (System.nanoTime() - t0) / 1e9;
                    sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - t0) / 1_000_000));
                } finally {
                    ctl.run("start_app");
                }
                double outage = (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                tomcat.awaitStatus(app + "/warren/health", 200, Duration.ofSeconds(60));
                double healthUpAfter = (System.nanoTime() - t1) / 1e9;
                long answeredAtRecovery = outcomes.answered.get();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (outcomes.answered.get() < answeredAtRecovery + 100 && System.nanoTime() < deadline) {
                    sleep(100);
                }
                double answeringAfter = (System.nanoTime() - t1) / 1e9;
                running.set(false);
                for (Thread t : clients) {
                    t.join(CALL_TIMEOUT.plus(GRACE).plusSeconds(5).toMillis());
                    assertThat(t.isAlive()).as(t.getName() + " stuck").isFalse();
                }
                staticPoller.join(15_000);

                assertThat(outcomes.answered.get()).as("calls answered after the broker came back")
                        .isGreaterThanOrEqualTo(answeredAtRecovery + 100);
                assertThat(outcomes.overran.get()).as("requests longer than the call timeout + " + GRACE + ": "
                        + outcomes).isZero();
                assertThat(outcomes.unclear).as("failures that are not Warren's clear 503/504").isEmpty();
                assertThat(outcomes.failed()).as("the outage was felt").isPositive();
                assertThat(staticFailures.get()).as("the static page answered 404 every time").isZero();
                // Responsive means not queued behind the messaging requests: queued, it would wait for one of
                // them to fail at its call timeout (10 s). Half that tells the two apart without a bound on
                // the machine's speed (at load 25 on 2 cores any request can take seconds).
                assertThat(Duration.ofNanos(slowestStaticNanos.get())).as("the page without messaging stayed responsive")
                        .isLessThan(CALL_TIMEOUT.dividedBy(2));
                System.out.printf("WARREN-RELIABILITY: Tomcat outage: %d clients, broker down %.1f s; health 503 %.1f s "
                                + "after stop_app (bound %d s), 200 %.1f s after start_app, calls answered again by %.1f s; "
                                + "%s; static page slowest %d ms%n", CLIENTS, outage, healthDownAfter,
                        3 * HEARTBEAT_SECONDS, healthUpAfter, answeringAfter, outcomes,
                        TimeUnit.NANOSECONDS.toMillis(slowestStaticNanos.get()));
            } finally {
                running.set(false);
                for (Thread t : clients) {
                    t.join(20_000);
                }
                if (tomcat != null) {
                    tomcat.close();
                }
                worker.stop(Duration.ofSeconds(10));
            }
        }
    }

    /** What the 50 clients saw: answers, failures by status and error, how long the longest took. */
    static final class Outcomes {
        final AtomicLong answered = new AtomicLong();
        final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        final AtomicLong overran = new AtomicLong();
        final AtomicLong fastFailures = new AtomicLong();
        final AtomicLong longestNanos = new AtomicLong();
        final List<String> unclear = new java.util.concurrent.CopyOnWriteArrayList<>();

        void record(String url, TomcatOutageIT test) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = test.send(url, CALL_TIMEOUT.plus(GRACE).plusSeconds(10));
                long took = System.nanoTime() - t0;
                longestNanos.accumulateAndGet(took, Math::max);
                if (took > CALL_TIMEOUT.plus(GRACE).toNanos()) {
                    overran.incrementAndGet();
                }
                if (r.statusCode() == 200) {
                    answered.incrementAndGet();
                    return;
                }
                String error = r.body().replaceAll("(?s).*\"error\"\\s*:\\s*\"([^\"]+)\".*", "$1");
                failures.computeIfAbsent(r.statusCode() + " " + error, k -> new AtomicInteger()).incrementAndGet();
                if (took < TimeUnit.SECONDS.toNanos(1)) {
                    fastFailures.incrementAndGet();
                }
                if ((r.statusCode() != 503 && r.statusCode() != 504) || error.equals(r.body())) {
                    unclear.add(r.statusCode() + " " + r.body());
                }
                sleep(50); // a failing client retries at once in real life too, but not in a hot loop
            } catch (IOException | InterruptedException e) {
                unclear.add(e.toString());
            }
        }

        long failed() {
            long n = 0;
            for (AtomicInteger v : failures.values()) {
                n += v.get();
            }
            return n;
        }

        @Override
        public String toString() {
            Map<String, Integer> kinds = new TreeMap<>();
            failures.forEach((k, v) -> kinds.put(k, v.get()));
            return "answered " + answered + ", failed " + failed() + " " + kinds + " (within 1 s: " + fastFailures
                    + "), longest request " + TimeUnit.NANOSECONDS.toMillis(longestNanos.get()) + " ms, over timeout+grace "
                    + overran;
        }
    }

    HttpResponse<String> send(String url, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
