package io.warren.wire;

import java.util.LinkedHashSet;

/** oslo's duplicate detection: the last 16 {@code _unique_id}s handled by one consumer. */
public final class RecentIds {
    private static final int WINDOW = 16;
    private final LinkedHashSet<String> ids = new LinkedHashSet<>();

    /** @return whether {@code uniqueId} was remembered (null never was) */
    public synchronized boolean contains(String uniqueId) {
        return uniqueId != null && ids.contains(uniqueId);
    }

    /** Remembers {@code uniqueId}, forgetting the oldest beyond the window. */
    public synchronized void remember(String uniqueId) {
        if (uniqueId == null) {
            return;
        }
        ids.add(uniqueId);
        if (ids.size() > WINDOW) {
            ids.remove(ids.iterator().next());
        }
    }

    /** @return true when {@code uniqueId} was seen before; remembers it otherwise */
    public synchronized boolean seenElseRemember(String uniqueId) {
        if (contains(uniqueId)) {
            return true;
        }
        remember(uniqueId);
        return false;
    }
}
