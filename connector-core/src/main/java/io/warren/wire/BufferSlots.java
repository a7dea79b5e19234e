package io.warren.wire;

import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.RecyclerPool;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Jackson's buffers for one mapper, in a fixed row of slots taken and given back by one
 * compare-and-set each: no lock, no node allocated per release (Jackson's
 * {@code ConcurrentDequePool} allocates one and pays {@code ConcurrentLinkedDeque}'s unlinking),
 * and no thread-local, so nothing ties a container thread to a webapp's class loader. Each thread
 * starts looking at its own slot, so threads seldom meet on one. When every slot is full a
 * returned buffer is dropped for the garbage collector; when all are empty a new one is made.
 */
final class BufferSlots implements RecyclerPool<BufferRecycler> {
    private static final long serialVersionUID = 1L;
    private final transient AtomicReferenceArray<BufferRecycler> slots;
    private final int mask;

    /** @param size a power of two */
    BufferSlots(int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two, got " + size);
        }
        slots = new AtomicReferenceArray<>(size);
        mask = size - 1;
    }

    /** A pool read back from a stream is empty, as Jackson's own pools are, not without its slots. */
    private Object readResolve() {
        return new BufferSlots(mask + 1);
    }

    @Override
    public BufferRecycler acquirePooled() {
        int start = (int) Thread.currentThread().getId();
        for (int i = 0; i <= mask; i++) {
            int at = (start + i) & mask;
            BufferRecycler b = slots.get(at);
            if (b != null && slots.compareAndSet(at, b, null)) {
                return b;
            }
        }
        return new BufferRecycler();
    }

    @Override
    public void releasePooled(BufferRecycler recycler) {
        int start = (int) Thread.currentThread().getId();
        for (int i = 0; i <= mask; i++) {
            int at = (start + i) & mask;
            if (slots.get(at) == null && slots.compareAndSet(at, null, recycler)) {
                return;
            }
        }
    }

    @Override
    public int pooledCount() {
        int n = 0;
        for (int i = 0; i <= mask; i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean clear() {
        for (int i = 0; i <= mask; i++) {
            slots.set(i, null);
        }
        return true;
    }
}
