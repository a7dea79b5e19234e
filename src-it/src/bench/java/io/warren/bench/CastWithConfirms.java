package io.warren.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.warren.BenchAccess;
import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.amqp.OutboundMessage;
import io.warren.amqp.Publisher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 1 KB messages with publisher confirms, at most 1,000 unconfirmed at a time, to one queue capped
 * at 1,000 messages (so the broker's work is the same for everyone and nothing piles up):
 * Warren's publisher, raw amqp-client with an async confirm window, and RabbitMQ PerfTest with
 * the same shape ({@code -x 1 -y 0 -s 1000 -c 1000}).
 */
final class CastWithConfirms {
    static final String QUEUE = "warren.bench.cast";
    private static final int WINDOW = 1000;
    private static final byte[] BODY = new byte[1000];
    private static final AMQP.BasicProperties OSLO_PROPERTIES = new AMQP.BasicProperties.Builder()
            .contentType("application/json").contentEncoding("utf-8").headers(Map.of()).deliveryMode(2).priority(0).build();

    private final BenchBroker broker;
    private final Duration trial;

    CastWithConfirms(BenchBroker broker, Duration trial) {
        this.broker = broker;
        this.trial = trial;
    }

    void declare() throws Exception {
        try (Connection c = broker.factory().newConnection("warren-bench-setup"); Channel ch = c.createChannel()) {
            ch.queueDelete(QUEUE);
            ch.queueDeclare(QUEUE, false, false, false, Map.of("x-max-length", 1000));
            ch.queueBind(QUEUE, "amq.direct", QUEUE);
        }
    }

    void run(int rounds, Report report) throws Exception {
        declare();
        Samples warren = new Samples();
        Samples raw = new Samples();
        Samples perfTest = new Samples();
        for (int round = 1; round <= rounds; round++) {
            // Alternate the contenders so drift on a noisy machine hits all of them alike.
            warren.add(warren());
            raw.add(raw());
            perfTest.add(perfTest());
            System.out.printf("  round %d: warren %.0f, raw %.0f, perf-test %.0f msg/s%n", round,
                    warren.last(), raw.last(), perfTest.last());
        }
        report.heading("Cast with publisher confirms, 1 KB, window 1,000 (msg/s)");
        report.table("contender", "msg/s median (min–max)", "ratio Warren / contender");
        report.row("Warren publisher", warren.describe("%,.0f"), "1.00");
        report.row("raw amqp-client, async confirm window 1,000", raw.describe("%,.0f"),
                String.format("%.2f", warren.median() / raw.median()));
        report.row("RabbitMQ PerfTest -x 1 -y 0 -s 1000 -c 1000", perfTest.describe("%,.0f"),
                String.format("%.2f", warren.median() / perfTest.median()));
        try (Connection c = broker.factory().newConnection("warren-bench-cleanup"); Channel ch = c.createChannel()) {
            ch.queueDelete(QUEUE);
        }
    }

    private double warren() throws Exception {
        ConnectorConfig config = ConnectorConfig.builder().transportUrl(broker.transportUrl()).name("bench-cast").build();
        Connector connector = Connector.create(config);
        connector.start();
        try {
            Publisher publisher = BenchAccess.runtime(connector).publisher();
            Semaphore window = new Semaphore(WINDOW);
            AtomicLong confirmed = new AtomicLong();
            long end = System.nanoTime() + trial.toNanos();
            long t0 = System.nanoTime();
            while (System.nanoTime() < end) {
                window.acquire();
                publisher.publish(new OutboundMessage("amq.direct", QUEUE, false, OSLO_PROPERTIES, BODY, Duration.ofSeconds(30)))
                        .whenComplete((ok, e) -> {
                            if (e == null) {
                                confirmed.incrementAndGet();
                            }
                            window.release();
                        });
            }
            window.acquire(WINDOW);
            return confirmed.get() / ((System.nanoTime() - t0) / 1e9);
        } finally {
            connector.stop(Duration.ofSeconds(10));
        }
    }

    private double raw() throws Exception {
        ConnectionFactory f = broker.factory();
        try (Connection c = f.newConnection("warren-bench-raw"); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            Semaphore window = new Semaphore(WINDOW);
            ConcurrentSkipListSet<Long> outstanding = new ConcurrentSkipListSet<>();
            AtomicLong confirmed = new AtomicLong();
            ch.addConfirmListener(new ConfirmListener() {
                @Override
                public void handleAck(long tag, boolean multiple) {
                    settle(tag, multiple, true);
                }

                @Override
                public void handleNack(long tag, boolean multiple) {
                    settle(tag, multiple, false);
                }

                private void settle(long tag, boolean multiple, boolean ack) {
                    int n = 0;
                    if (multiple) {
                        var head = outstanding.headSet(tag, true);
                        n = head.size();
                        head.clear();
                    } else if (outstanding.remove(tag)) {
                        n = 1;
                    }
                    if (ack) {
                        confirmed.addAndGet(n);
                    }
                    window.release(n);
                }
            });
            long end = System.nanoTime() + trial.toNanos();
            long t0 = System.nanoTime();
            while (System.nanoTime() < end) {
                window.acquire();
                outstanding.add(ch.getNextPublishSeqNo());
                ch.basicPublish("amq.direct", QUEUE, false, OSLO_PROPERTIES, BODY);
            }
            window.acquire(WINDOW);
            return confirmed.get() / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private double perfTest() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", perfTestClasspath(),
                "com.rabbitmq.perf.PerfTest", "--uri", broker.amqpUri(), "-x", "1", "-y", "0", "-s", "1000",
                "-c", String.valueOf(WINDOW), "-z", String.valueOf(trial.toSeconds()), "-e", "amq.direct", "-t", "direct",
                "-k", QUEUE, "-p", "-u", QUEUE));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(trial.toSeconds() + 60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("PerfTest did not end");
        }
        Matcher m = Pattern.compile("sending rate avg: (\\d+) msg/s").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no sending rate in PerfTest's output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** PerfTest configures logback itself, so it gets the class path without the tests' slf4j-simple. */
    private static String perfTestClasspath() {
        StringBuilder cp = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.contains("slf4j-simple")) {
                cp.append(cp.length() == 0 ? "" : java.io.File.pathSeparator).append(entry);
            }
        }
        return cp.toString();
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
