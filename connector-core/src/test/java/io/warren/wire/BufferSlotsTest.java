package io.warren.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.util.BufferRecycler;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BufferSlotsTest {

    @Test
    void aReturnedBufferIsHandedOutAgainAndOneTooManyIsDropped() {
        BufferSlots pool = new BufferSlots(4);
        assertThat(pool.pooledCount()).isZero();

        BufferRecycler first = pool.acquirePooled();
        pool.releasePooled(first);
        assertThat(pool.pooledCount()).isEqualTo(1);
        assertThat(pool.acquirePooled()).isSameAs(first);
        assertThat(pool.pooledCount()).isZero();

        for (int i = 0; i < 5; i++) {
            pool.releasePooled(new BufferRecycler());
        }
        assertThat(pool.pooledCount()).as("four slots, the fifth dropped").isEqualTo(4);
        assertThat(pool.clear()).isTrue();
        assertThat(pool.pooledCount()).isZero();
    }

    @Test
    void aPoolReadBackFromAStreamWorks() throws Exception {
        BufferSlots pool = new BufferSlots(4);
        pool.releasePooled(pool.acquirePooled());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(pool);
        }
        BufferSlots back;
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            back = (BufferSlots) in.readObject();
        }
        assertThat(back.pooledCount()).isZero();
        BufferRecycler b = back.acquirePooled();
        back.releasePooled(b);
        assertThat(back.acquirePooled()).isSameAs(b);
    }

    @Test
    void itsSizeMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new BufferSlots(12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("power of two").hasMessageContaining("12");
    }

    @Test
    void noBufferIsEverHeldByTwoThreadsAtOnce() throws Exception {
        BufferSlots pool = new BufferSlots(4);
        Set<BufferRecycler> held = ConcurrentHashMap.newKeySet();
        AtomicInteger twice = new AtomicInteger();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    BufferRecycler b = pool.acquirePooled();
                    if (!held.add(b)) {
                        twice.incrementAndGet();
                    }
                    held.remove(b);
                    pool.releasePooled(b);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertThat(twice.get()).isZero();
        assertThat(pool.pooledCount()).isBetween(1, 4);
    }

    @Test
    void theCodecReadsAndWritesThroughItsOwnPoolFromManyThreads() throws Exception {
        JacksonCodec codec = new JacksonCodec();
        AtomicInteger wrong = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int n = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    Map<String, Object> m = Map.of("thread", n, "i", i, "text", "é".repeat(i % 50));
                    try {
                        if (!m.equals(codec.read(codec.write(m)))) {
                            wrong.incrementAndGet();
                        }
                    } catch (WireException e) {
                        wrong.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertThat(wrong.get()).isZero();
    }
}
