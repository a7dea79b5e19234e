package io.warren.wire;

import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs refused messages once per kind per minute, with a count of those not logged, so a
 * flood of bad input cannot flood the log.
 */
public final class RejectionLog {
    private static final long INTERVAL_NANOS = 60_000_000_000L;

    private final Logger log;
    private final String owner;
    private final Map<WireException.Kind, long[]> seen = new EnumMap<>(WireException.Kind.class);
    // Bounded: keys are method names of one server, and at most this many are tracked.
    private final Map<String, long[]> others = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > 256;
        }
    };

    public RejectionLog(Logger log, String owner) {
        this.log = log;
        this.owner = owner;
    }

    /**
     * Logs a failure that is not about the message's form (a failed cast, say), with the same
     * once-a-minute limit, under its own key.
     */
    public void failed(String key, String text) {
        long suppressed;
        synchronized (others) {
            suppressed = admit(others, key);
        }
        if (suppressed >= 0) {
            log.warn("{} - {}{}", owner, JacksonCodec.printable(text),
                    suppressed > 0 ? " (" + suppressed + " more like it in the last minute)" : "");
        }
    }

    /**
     * @param where e.g. {@code rpc server topic=compute}
     * @param e what was wrong
     */
    public void rejected(String where, WireException e) {
        long suppressed;
        synchronized (seen) {
            suppressed = admit(seen, e.kind());
        }
        if (suppressed >= 0) {
            log.warn("{} - {} refused a message ({}): {}{}", owner, where, e.kind().tag(), JacksonCodec.printable(e.getMessage()),
                    suppressed > 0 ? " (" + suppressed + " more of this kind in the last minute)" : "");
        }
    }

    /**
     * One minute's window per key: {@code [start of the window, lines held back in it]}. Caller
     * holds the map's lock.
     *
     * @return -1 when this line is held back, else how many were held back since the last one logged
     */
    private static <K> long admit(Map<K, long[]> windows, K key) {
        long now = System.nanoTime();
        long[] state = windows.computeIfAbsent(key, k -> new long[] {now - INTERVAL_NANOS, 0});
        if (now - state[0] < INTERVAL_NANOS) {
            state[1]++;
            return -1;
        }
        long suppressed = state[1];
        state[0] = now;
        state[1] = 0;
        return suppressed;
    }
}
