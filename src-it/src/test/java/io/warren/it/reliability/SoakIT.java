package io.warren.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.warren.CallOptions;
import io.warren.Connector;
import io.warren.EngineAccess;
import io.warren.NotificationEndpoint;
import io.warren.Notifier;
import io.warren.RequestContext;
import io.warren.Target;
import io.warren.it.support.CoreFixtures;
import io.warren.it.support.Rabbitmqctl;
import io.warren.it.support.TestBroker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * RPC and notifications at a steady, moderate rate for a bounded time, with every connection of
 * the test dropped by the broker ({@code rabbitmqctl close_connection}) at a fixed interval; on a
 * private vhost of the machine's RabbitMQ. Sampled every 5 s: heap after GC, the connectors' live
 * threads, open channels, the vhost's queues on the broker, the pending-call map and the confirm
 * trackers, with the slopes reported. Asserted against the sample after the first recovery: the
 * same queues, heap within 16 MiB, nothing pending or unconfirmed at the end, one socket reader per
 * connection and every other thread role within its pool's size (pools and the channel pool fill
 * on demand: bounded growth, not a leak). CI runs 75 s with a drop every 20 s; {@code -Dwarren.it.soak.seconds=900
 * -Dwarren.it.soak.dropEverySeconds=180} is the 15-minute local run.
 */
class SoakIT {
    static final Duration TOTAL = Duration.ofSeconds(Long.getLong("warren.it.soak.seconds", 75));
    static final Duration DROP_EVERY = Duration.ofSeconds(Long.getLong("warren.it.soak.dropEverySeconds", 20));
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    static final long HEAP_SLACK_BYTES = 16L << 20;

    private final TestBroker shared = TestBroker.shared();

    /** One sample of everything that must stay flat. */
    static final class Sample {
        final double minute;
        final long heap;
        final int threads;
        final int channels;
        final int queues;
        final int pendingCalls;
        final int unconfirmed;

        Sample(double minute, long heap, int threads, int channels, int queues, int pendingCalls, int unconfirmed) {
            this.minute = minute;
            this.heap = heap;
            this.threads = threads;
            this.channels = channels;
            this.queues = queues;
            this.pendingCalls = pendingCalls;
            this.unconfirmed = unconfirmed;
        }
    }

    @Test
    void steadyRpcAndNotificationsAcrossConnectionDropsLeakNothing() throws Exception {
        try (TestBroker.PrivateVhost vhost = shared.privateVhost("dropping every connection of a soak run")) {
            TestBroker broker = vhost.broker();
            Rabbitmqctl ctl = Rabbitmqctl.forSharedBroker(shared, "close_connection and list_queues in a private vhost");
            String name = CoreFixtures.uniqueName("soak");
            String[] options = {"control_exchange", name, "topics", name + "-events", "driver", "messagingv2",
                    "rabbit_retry_interval", "1", "rabbit_interval_max", "2", "warren_publish_timeout_ms", "5000"};
            Connector server = Connector.create(CoreFixtures.config(broker, name + "-server", options));
            Connector client = Connector.create(CoreFixtures.config(broker, name + "-client", options));
            server.start();
            client.start();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> load = new ArrayList<>();
            try {
                Target target = Target.topic(name + "-rpc");
                server.rpcServer(target.server("s1"), new CallLoad.Echo());
                AtomicLong notified = new AtomicLong();
                server.notificationListener(null, false, new NotificationEndpoint() {
                    @Override
                    public Result info(RequestContext ctx, String publisher, String event, Object payload,
                                       Map<String, Object> md) {
                        notified.incrementAndGet();
                        return Result.HANDLED;
                    }
                });
                AtomicLong answered = new AtomicLong();
                AtomicLong callFailures = new AtomicLong();
                AtomicLong sentNotifications = new AtomicLong();
                AtomicLong notifyFailures = new AtomicLong();
                List<Throwable> unclear = new java.util.concurrent.CopyOnWriteArrayList<>();
                CallOptions callOptions = CallOptions.defaults().timeout(Duration.ofSeconds(5));
                // About 50 calls and 20 notifications a second: moderate, as a busy webapp's steady state.
                load.add(paced("it-soak-calls", 20, running, () -> {
                    try {
                        if ("x".equals(client.rpcClient().call(target, "echo", Map.of("text", "x"), callOptions))) {
                            answered.incrementAndGet();
                        }
                    } catch (io.warren.WarrenException e) {
                        callFailures.incrementAndGet();
                    } catch (RuntimeException e) {
                        unclear.add(e);
                    }
                }));
                Notifier notifier = client.notifier("it.soak");
                load.add(paced("it-soak-notifications", 50, running, () -> {
                    try {
                        notifier.info(Map.of(), "soak.tick", Map.of("n", sentNotifications.incrementAndGet()));
                    } catch (io.warren.WarrenException e) {
                        notifyFailures.incrementAndGet();
                    } catch (RuntimeException e) {
                        unclear.add(e);
                    }
                }));

                List<Sample> samples = new ArrayList<>();
                long t0 = System.nanoTime();
                long nextDrop = t0 + DROP_EVERY.toNanos();
                int drops = 0;
                Sample baseline = null;
                while (System.nanoTime() - t0 < TOTAL.toNanos()) {
                    Thread.sleep(SAMPLE_EVERY.toMillis());
                    if (System.nanoTime() >= nextDrop) {
                        for (Rabbitmqctl.ConnectionInfo c : vhost.connections()) {
                            ctl.closeConnection(c, "warren soak: a dropped connection");
                        }
                        drops++;
                        nextDrop += DROP_EVERY.toNanos();
                        long answeredAtDrop = answered.get();
                        CoreFixtures.waitUntil(Duration.ofSeconds(30), "calls answered again after drop " + drops,
                                () -> answered.get() > answeredAtDrop + 20);
                    }
                    Sample s = sample(t0, name, server, client, ctl, vhost.name());
                    samples.add(s);
                    if (baseline == null && drops == 1) {
                        baseline = s;
                    }
                }
                running.set(false);
                for (Thread t : load) {
                    t.join(10_000);
                    assertThat(t.isAlive()).as(t.getName() + " stuck").isFalse();
                }
                CoreFixtures.waitUntil(Duration.ofSeconds(15), "no call pending and no publish unconfirmed",
                        () -> EngineAccess.pendingCalls(client) == 0 && EngineAccess.unconfirmedPublishes(client) == 0
                                && EngineAccess.unconfirmedPublishes(server) == 0);
                Sample end = sample(t0, name, server, client, ctl, vhost.name());
                samples.add(end);

                assertThat(drops).as("connection drops").isGreaterThanOrEqualTo(2);
                assertThat(baseline).as("a sample after the first recovery").isNotNull();
                assertThat(unclear).as("failures that are not Warren's clear errors").isEmpty();
                assertThat(answered.get()).isPositive();
                assertThat(notified.get()).isPositive();
                // Pools start their threads and the channel pool its channels on demand, up to their
                // sizes: bounded growth is not a leak; a connection or an executor per drop would be.
                for (Connector c : List.of(server, client)) {
                    Map<String, Integer> roles = threadsByRole(c.name());
                    assertThat(roles.getOrDefault("io", 0)).as("socket readers of " + c.name() + ": one per connection")
                            .isEqualTo(2);
                    Map<String, Integer> bounds = Map.of("heartbeat", 1, "timer", 1, "recovery", 1, "shutdown", 4,
                            "consumer", c.config().consumerThreads(), "rpc", c.config().executorThreadPoolSize(),
                            "notify", 4);
                    roles.forEach((role, n) -> assertThat(n).as(c.name() + " threads of role " + role)
                            .isLessThanOrEqualTo(bounds.getOrDefault(role, 2)));
                }
                assertThat(end.channels).as("open channels of both connectors")
                        .isLessThanOrEqualTo(baseline.channels + 2 * client.config().channelPoolSize());
                assertThat(end.queues).as("queues on the broker").isEqualTo(baseline.queues);
                assertThat(end.pendingCalls).isZero();
                assertThat(end.unconfirmed).isZero();
                assertThat(end.heap).as("heap after GC").isLessThanOrEqualTo(baseline.heap + HEAP_SLACK_BYTES);
                for (Sample s : samples.subList(samples.indexOf(baseline), samples.size())) {
                    assertThat(s.queues).as("queues at %.1f min", s.minute).isLessThanOrEqualTo(baseline.queues);
                }
                List<Sample> steady = samples.subList(samples.indexOf(baseline), samples.size());
                System.out.printf("WARREN-RELIABILITY: soak %d s, %d drops (every %d s), %d samples: calls answered %d, "
                                + "failed %d; notifications sent %d (failed %d), handled %d; slopes per minute after the "
                                + "first recovery: heap %+.2f MiB, threads %+.2f, channels %+.2f, queues %+.2f, pending "
                                + "calls %+.2f, unconfirmed %+.2f; baseline -> end: heap %.1f -> %.1f MiB, threads %d -> "
                                + "%d, channels %d -> %d, queues %d -> %d; max pending calls %d, max unconfirmed %d%n",
                        TOTAL.toSeconds(), drops, DROP_EVERY.toSeconds(), samples.size(), answered.get(),
                        callFailures.get(), sentNotifications.get(), notifyFailures.get(), notified.get(),
                        slope(steady, s -> s.heap / 1048576.0), slope(steady, s -> s.threads),
                        slope(steady, s -> s.channels), slope(steady, s -> s.queues),
                        slope(steady, s -> s.pendingCalls), slope(steady, s -> s.unconfirmed),
                        baseline.heap / 1048576.0, end.heap / 1048576.0, baseline.threads, end.threads,
                        baseline.channels, end.channels, baseline.queues, end.queues,
                        samples.stream().mapToInt(s -> s.pendingCalls).max().orElse(0),
                        samples.stream().mapToInt(s -> s.unconfirmed).max().orElse(0));
            } finally {
                running.set(false);
                for (Thread t : load) {
                    t.join(10_000);
                }
                client.stop(Duration.ofSeconds(15));
                server.stop(Duration.ofSeconds(15));
            }
            assertThat(CoreFixtures.liveThreads(name)).isEmpty();
        }
    }

    /** {@code warren-<connector>-<role>[-<topic>]-<n>}, counted by role. */
    private static Map<String, Integer> threadsByRole(String connector) {
        Map<String, Integer> roles = new java.util.TreeMap<>();
        String prefix = "warren-" + connector + "-";
        for (String t : CoreFixtures.liveThreads(connector)) {
            if (t.startsWith(prefix)) {
                String rest = t.substring(prefix.length());
                String role = rest.indexOf('-') < 0 ? rest : rest.substring(0, rest.indexOf('-'));
                roles.merge(role, 1, Integer::sum);
            }
        }
        return roles;
    }

    private static Thread paced(String threadName, long everyMs, AtomicBoolean running, Runnable work) {
        Thread t = new Thread(() -> {
            long next = System.nanoTime();
            while (running.get()) {
                work.run();
                next += everyMs * 1_000_000;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                } else {
                    next = System.nanoTime(); // behind (a call waited out a drop): no burst to catch up
                }
            }
        }, threadName);
        t.start();
        return t;
    }

    private static Sample sample(long t0, String name, Connector server, Connector client, Rabbitmqctl ctl, String vhost) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int queues = 0;
        for (String line : ctl.run("list_queues", "-p", vhost, "--quiet", "--no-table-headers", "name").split("\n")) {
            if (!line.isBlank()) {
                queues++;
            }
        }
        return new Sample((System.nanoTime() - t0) / 60e9, heap, CoreFixtures.liveThreads(name).size(),
                server.stats().openChannels() + client.stats().openChannels(), queues,
                EngineAccess.pendingCalls(client), EngineAccess.unconfirmedPublishes(client)
                        + EngineAccess.unconfirmedPublishes(server));
    }

    /** Least-squares slope of {@code y} per minute. */
    private static double slope(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> y) {
        int n = samples.size();
        if (n < 2) {
            return 0;
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Sample s : samples) {
            double x = s.minute;
            double v = y.applyAsDouble(s);
            sx += x;
            sy += v;
            sxx += x * x;
            sxy += x * v;
        }
        double d = n * sxx - sx * sx;
        return d == 0 ? 0 : (n * sxy - sx * sy) / d;
    }
}
