package io.connpool.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The total cap of a keyed pool, shared by its per-key engines, and the two ways it makes room.
 *
 * <ul>
 *   <li><b>Least recently used first.</b> When a key needs a connection and all keys together are at
 *   the cap, the least recently used idle connection of another key is closed. Keys are kept in a
 *   skip list ordered by when a connection of theirs last went idle. Keeping that order exactly
 *   would put a skip-list update on every release; instead a key moves to the back at most once per
 *   {@link #GRANULARITY_NANOS}, so a release normally pays one timestamp comparison, and the order
 *   is exact to within that granularity. With the system clock the time compared is one this class
 *   refreshes every {@link #GRANULARITY_NANOS} ({@link #tick()}, run by the pool's scheduler) rather
 *   than a clock read on every release: a read costs ~24 ns here, a third of a keyed cycle. The order
 *   is then exact to within twice the granularity. Another ticker (a test's) is read each time. A
 *   key found with nothing idle is dropped from the list until a connection of its goes idle again,
 *   so each eviction visits O(1) keys amortized and every list operation is O(log keys).</li>
 *   <li><b>Waiting keys.</b> When nothing is idle anywhere, a key with waiters queues here (once, FIFO
 *   across keys), and {@link #isWanted()} turns true: connections returned to keys with no waiters
 *   of their own, or holding more than an even share of the cap ({@link #shouldYield}), are then
 *   closed, and each freed unit goes to the first key in this queue.</li>
 * </ul>
 */
final class TotalCapacity implements Capacity {

    static final long GRANULARITY_NANOS = 1_000_000_000L;

    private final AtomicInteger used = new AtomicInteger();
    private final AtomicInteger keys = new AtomicInteger();
    private volatile int max;
    private final ConcurrentLinkedQueue<Engine<?>> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final AtomicInteger wakeWork = new AtomicInteger();
    private final ConcurrentSkipListMap<Recency, Engine<?>> leastRecentlyUsed = new ConcurrentSkipListMap<>();
    private final AtomicLong recencySequence = new AtomicLong();
    private final AtomicLong keysVisited = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    private final io.connpool.Ticker ticker;
    /** True when {@link #coarseNow} stands in for the ticker (the system clock, ticked by the pool). */
    private final boolean coarse;
    private volatile long coarseNow;
    /** Told when an engine gave back its last unit: its owner may forget the key. */
    private final java.util.function.Consumer<Engine<?>> onEmpty;

    TotalCapacity(int max, io.connpool.Ticker ticker, java.util.function.Consumer<Engine<?>> onEmpty) {
        this.max = max;
        this.ticker = ticker;
        // Ticker.system() is one non-capturing method reference: the same instance on every call.
        // Were it not, the ticker would be read on every release, as for any other ticker.
        this.coarse = ticker == io.connpool.Ticker.system();
        this.coarseNow = ticker.nanoTime();
        this.onEmpty = onEmpty;
    }

    /** Position in the least-recently-used order: when the key's connection went idle, then a tie-breaker. */
    private record Recency(long stamp, long sequence) implements Comparable<Recency> {
        @Override
        public int compareTo(Recency other) {
            int byTime = Long.compare(stamp - other.stamp, 0);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    @Override
    public boolean tryReserve(Engine<?> requester) {
        for (int attempt = 0; attempt < 4; attempt++) {
            int current = used.get();
            if (current < max) {
                if (used.compareAndSet(current, current + 1)) {
                    return true;
                }
                attempt--; // lost a race for a free unit, not a failed attempt to make room
                continue;
            }
            if (!makeRoom(requester)) {
                break;
            }
        }
        // Only a key below its share of the cap queues for room; one above it waits for its own
        // connections to come back, so that two busy keys cannot trade one unit back and forth
        // while a quiet key starves.
        // Live connections, not reservations: two callers of one key reserving at once must not each
        // count the other's attempt and both stay out of the queue.
        if (requester.hasDemand() && requester.liveCount() < fairShare()
                && requester.wantsRoom.compareAndSet(false, true)) {
            waiting.add(requester);
            waitingCount.incrementAndGet();
            // Look once more now that we are counted: a unit freed, or a connection gone idle, while
            // we queued may have been published by a thread that still saw nobody waiting. (Those
            // threads publish first and look at waitingCount second, so one side sees the other: a
            // keyed engine's release keeps its fence for this, see EngineHotFields.orderedRelease.)
            if (used.get() < max || makeRoom(requester)) {
                wakeWaiting();
            }
        }
        return false;
    }

    @Override
    public void free(Engine<?> from) {
        used.decrementAndGet();
        if (waitingCount.get() > 0) {
            wakeWaiting();
        }
        if (from.isForgettable()) {
            onEmpty.accept(from);
        }
    }

    @Override
    public boolean isWanted() {
        return waitingCount.get() > 0 || used.get() > max;
    }

    @Override
    public boolean shouldYield(Engine<?> engine, int engineConnections) {
        return waitingCount.get() > 0 && engineConnections > fairShare();
    }

    /** Connections per key if the cap were split evenly over the keys the pool knows. */
    private int fairShare() {
        return Math.max(1, max / Math.max(1, keys.get()));
    }

    /** The owner counts its keys here, for the fair share. */
    void keyAdded() {
        keys.incrementAndGet();
    }

    void keyRemoved() {
        keys.decrementAndGet();
    }

    @Override
    public void onReleased(Engine<?> engine) {
        long now = now();
        if (!engine.lruIndexed || now - engine.lruStamp >= GRANULARITY_NANOS) {
            index(engine, now);
        }
        if (waitingCount.get() > 0 && makeRoom(null)) {
            evictions.incrementAndGet(); // a key queued for room while this connection went idle
        }
    }

    @Override
    public String describe() {
        int inUse = used.get();
        return inUse >= max ? "; all keys together are at max-total (" + inUse + " of " + max + ")" : "";
    }

    /** True when the pool must call {@link #tick()} every {@link #GRANULARITY_NANOS}. */
    boolean needsTicks() {
        return coarse;
    }

    /** Refreshes the time the least-recently-used order is kept by (see the class comment). */
    void tick() {
        coarseNow = ticker.nanoTime();
    }

    /** The time the least-recently-used order is kept by. */
    long now() {
        return coarse ? coarseNow : ticker.nanoTime();
    }

    /** Closes the least recently used idle connection of a key other than {@code requester}. */
    private boolean makeRoom(Engine<?> requester) {
        Iterator<Map.Entry<Recency, Engine<?>>> entries = leastRecentlyUsed.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Recency, Engine<?>> entry = entries.next();
            keysVisited.incrementAndGet();
            Engine<?> engine = entry.getValue();
            if (engine == requester) {
                continue;
            }
            if (engine.evictLeastRecentlyUsed(true)) {
                evictions.incrementAndGet();
                return true;
            }
            unindex(engine, entry.getKey());
        }
        return false;
    }

    /** Gives freed units to the keys waiting for room, first come first served. */
    private void wakeWaiting() {
        if (wakeWork.getAndIncrement() != 0) {
            return; // another thread is handing out units: it will loop once more for us
        }
        int missed = 1;
        do {
            Engine<?> engine;
            while (used.get() < max && (engine = waiting.poll()) != null) {
                waitingCount.decrementAndGet();
                engine.wantsRoom.set(false);
                engine.fillDemand();
            }
            missed = wakeWork.addAndGet(-missed);
        } while (missed != 0);
    }

    private void index(Engine<?> engine, long now) {
        synchronized (engine) {
            if (engine.lruIndexed && now - engine.lruStamp < GRANULARITY_NANOS || engine.isClosed()) {
                return;
            }
            if (engine.lruEntry != null) {
                leastRecentlyUsed.remove((Recency) engine.lruEntry);
            }
            Recency position = new Recency(now, recencySequence.incrementAndGet());
            leastRecentlyUsed.put(position, engine);
            engine.lruEntry = position;
            engine.lruStamp = now;
            engine.lruIndexed = true;
        }
    }

    private void unindex(Engine<?> engine, Recency position) {
        synchronized (engine) {
            if (engine.lruEntry != position) {
                return;
            }
            leastRecentlyUsed.remove(position);
            engine.lruEntry = null;
            engine.lruIndexed = false;
        }
        // A connection may have gone idle while we looked: it re-indexes the key only if it saw the
        // flag cleared, so look again now that it is.
        if (engine.hasIdle()) {
            index(engine, now());
        }
    }

    /** Forgets a key that is being dropped from the pool. */
    void remove(Engine<?> engine) {
        synchronized (engine) {
            if (engine.lruEntry != null) {
                leastRecentlyUsed.remove((Recency) engine.lruEntry);
                engine.lruEntry = null;
                engine.lruIndexed = false;
            }
        }
        if (engine.wantsRoom.compareAndSet(true, false) && waiting.remove(engine)) {
            waitingCount.decrementAndGet();
        }
    }

    void resize(int newMax) {
        max = newMax;
        while (used.get() > newMax && makeRoom(null)) {
            // close idle connections, least recently used first, until under the new cap
        }
        wakeWaiting();
    }

    int used() {
        return used.get();
    }

    int max() {
        return max;
    }

    /** Keys looked at while making room, since the pool started (for complexity tests). */
    long keysVisited() {
        return keysVisited.get();
    }

    long evictions() {
        return evictions.get();
    }

    int indexedKeys() {
        return leastRecentlyUsed.size();
    }
}
