package io.warren.bench;

import io.warren.BenchAccess;
import io.warren.Connector;
import io.warren.ConnectorConfig;
import io.warren.amqp.ChannelPoolBench;
import io.warren.amqp.OutboundMessage;
import com.rabbitmq.client.AMQP;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What one connector costs: threads (and whether load changes that), heap, start and stop time, pool contention. */
final class ConnectorCost {
    private final BenchBroker broker;

    ConnectorCost(BenchBroker broker) {
        this.broker = broker;
    }

    private Connector connector(String name) {
        return Connector.create(ConnectorConfig.builder().transportUrl(broker.transportUrl()).name(name).build());
    }

    void run(int rounds, Report report) throws Exception {
        Samples start = new Samples();
        Samples stop = new Samples();
        for (int i = 0; i < Math.max(5, rounds * 2); i++) {
            Connector c = connector("bench-cost-" + i);
            long t0 = System.nanoTime();
            c.start();
            long t1 = System.nanoTime();
            c.stop(Duration.ofSeconds(10));
            long t2 = System.nanoTime();
            start.add((t1 - t0) / 1e6);
            stop.add((t2 - t1) / 1e6);
        }

        Connector c = connector("bench-threads");
        c.start();
        int idle = threadsOf("bench-threads");
        int afterOne = threadsAfterLoad(c, 1);
        int afterEight = threadsAfterLoad(c, 8);
        int afterThirtyTwo = threadsAfterLoad(c, 32);
        Samples contention1 = new Samples();
        Samples contention8 = new Samples();
        for (int r = 0; r < rounds; r++) {
            contention1.add(ChannelPoolBench.nanosPerCheckout(BenchAccess.runtime(c), 1, Duration.ofSeconds(1)));
            contention8.add(ChannelPoolBench.nanosPerCheckout(BenchAccess.runtime(c), 8, Duration.ofSeconds(1)));
        }
        c.stop(Duration.ofSeconds(10));

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        int n = 10;
        long before = usedHeapAfterGc(memory);
        List<Connector> many = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Connector each = connector("bench-heap-" + i);
            each.start();
            many.add(each);
        }
        long during = usedHeapAfterGc(memory);
        for (Connector each : many) {
            each.stop(Duration.ofSeconds(10));
        }
        long after = usedHeapAfterGc(memory);

        report.heading("Cost of one connector");
        report.table("what", "figure");
        report.row("start (connect both connections), ms", start.describe("%.1f"));
        report.row("stop (drain, close, join every thread), ms", stop.describe("%.1f"));
        report.row("live threads: idle / after 1 / 8 / 32 concurrent publishers",
                idle + " / " + afterOne + " / " + afterEight + " / " + afterThirtyTwo);
        report.row("retained heap per started connector (10 started, after GC)", String.format("%.0f KiB", (during - before) / 1024.0 / n));
        report.row("heap left after all 10 stopped (after GC)", String.format("%+.0f KiB", (after - before) / 1024.0));
        report.row("channel checkout + return, 1 thread, ns/op", contention1.describe("%.0f"));
        report.row("channel checkout + return, 8 threads on a pool of 30, ns/op per thread", contention8.describe("%.0f"));
    }

    private static int threadsAfterLoad(Connector c, int callers) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Thread t = new Thread(() -> {
                List<CompletableFuture<Void>> fs = new ArrayList<>();
                for (int m = 0; m < 500; m++) {
                    fs.add(BenchAccess.runtime(c).publisher().publish(new OutboundMessage("", "warren-bench-nowhere", false,
                            new AMQP.BasicProperties(), new byte[100], Duration.ofSeconds(30))));
                }
                CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).join();
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return threadsOf(c.name());
    }

    static int threadsOf(String name) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("warren-" + name + "-")) {
                n++;
            }
        }
        return n;
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
