package io.warren.bench;

import java.util.Arrays;

/** Latencies of one trial, in nanoseconds, and the percentiles asked of them. */
final class Latencies {
    private long[] values = new long[1 << 16];
    private int size;

    synchronized void addAll(long[] more, int n) {
        if (size + n > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, size + n));
        }
        System.arraycopy(more, 0, values, size, n);
        size += n;
    }

    synchronized int count() {
        return size;
    }

    /** @return the q-th quantile in microseconds (q in 0..1) */
    synchronized double quantileMicros(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return sorted[Math.min(size - 1, (int) Math.floor(q * size))] / 1000.0;
    }
}
