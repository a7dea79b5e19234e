package io.warren.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class OwnedThreadsTest {

    @Test
    void threadsAreNamedDaemonWithoutContextClassLoaderAndJoined() throws Exception {
        OwnedThreads threads = new OwnedThreads("shop");
        ThreadFactory heartbeat = threads.factory("heartbeat");
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Runnable work = () -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        Thread first = heartbeat.newThread(work);
        Thread second = heartbeat.newThread(work);
        first.start();
        second.start();
        running.await();

        assertThat(first.getName()).isEqualTo("warren-shop-heartbeat-1");
        assertThat(second.getName()).isEqualTo("warren-shop-heartbeat-2");
        assertThat(first.isDaemon()).isTrue();
        assertThat(first.getContextClassLoader()).isNull();
        assertThat(threads.alive()).containsExactlyInAnyOrder(first, second);

        release.countDown();
        assertThat(threads.joinAll(Duration.ofSeconds(5))).isEmpty();
        assertThat(first.isAlive()).isFalse();
        assertThat(second.isAlive()).isFalse();
    }

    @Test
    void aThreadRenamedByItsCreatorGetsItsOwnedNameBackWhenItRuns() throws Exception {
        OwnedThreads threads = new OwnedThreads("shop");
        String[] seen = new String[1];
        Thread t = threads.factory("io").newThread(() -> seen[0] = Thread.currentThread().getName());
        t.setName("AMQP Connection 127.0.0.1:5672"); // what amqp-client does
        t.start();
        t.join(5000);
        assertThat(seen[0]).isEqualTo("warren-shop-io-1");
    }

    @Test
    void joinInterruptsSleepersSoStopIsBounded() {
        OwnedThreads threads = new OwnedThreads("shop");
        Thread sleeper = threads.factory("recovery").newThread(() -> {
            try {
                Thread.sleep(60_000); // like a recovery waiting between attempts
            } catch (InterruptedException e) {
                // ends the thread
            }
        });
        sleeper.start();

        assertThat(threads.joinAll(Duration.ofSeconds(2))).isEmpty();
        assertThat(sleeper.isAlive()).isFalse();
    }

    @Test
    void aThreadThatIgnoresInterruptsIsReportedNotWaitedForForever() {
        OwnedThreads threads = new OwnedThreads("shop");
        CountDownLatch release = new CountDownLatch(1);
        Thread stubborn = threads.factory("worker").newThread(() -> {
            while (release.getCount() > 0) {
                Thread.onSpinWait();
            }
        });
        stubborn.start();
        try {
            assertThat(threads.joinAll(Duration.ofMillis(200))).containsExactly(stubborn);
        } finally {
            release.countDown();
        }
    }

    @Test
    void noNewThreadsAfterClose() {
        OwnedThreads threads = new OwnedThreads("shop");
        threads.close();
        assertThatThrownBy(() -> threads.factory("late").newThread(() -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("warren-shop is stopped");
    }
}
