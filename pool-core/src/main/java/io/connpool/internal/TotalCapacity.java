package io.connpool.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The total cap of a keyed pool, shared by its per-key engines, and the two ways it makes room.
 *
 * <ul>
 *   <li><b>Least recently used first.</b> When a key needs a connection and all keys together are at
 *   the cap, the least recently used idle connection of another key with no caller waiting is
 *   closed. Keys are kept in a
 *   skip list ordered by when a connection of theirs last went idle. Keeping that order exactly
 *   would put a skip-list update on every release; instead a key moves to the back at most once per
 *   {@link #GRANULARITY_NANOS}, so a release normally pays one timestamp comparison, and the order
 *   is exact to within that granularity. With the system clock the time compared is the coarse one
 *   the pools' scheduler ticks ({@link CoarseClock}) rather than a clock read on every release: a
 *   read costs ~24 ns here, a third of a keyed cycle. The order is then exact to within the
 *   granularity plus one tick. Another ticker (a test's) is read each time. A
 *   key found with nothing idle is dropped from the list until a connection of its goes idle again,
 *   so each eviction visits O(1) keys amortized and every list operation is O(log keys).</li>
 *   <li><b>Waiting keys.</b> When nothing is idle anywhere, a key with waiters queues here (once, FIFO
 *   across keys), and {@link #isWanted()} turns true: connections returned to keys with no waiters
 *   of their own, or holding more than an even share of the cap ({@link #shouldYield}), are then
 *   closed, and each freed unit goes to the first key in this queue.</li>
 * </ul>
 *
 * <h2>The room protocol</h2>
 * Three rules keep room flowing to the keys that wait for it, and only to them:
 * <ol>
 *   <li><b>A key is queued exactly while it needs room.</b> It joins when an attempt to reserve
 *   fails while its callers wait, and leaves when it is handed room ({@link #wakeWaiting}), when it
 *   reserves on its own ({@link #tryReserve}), when it is forgotten, and when its last waiting caller
 *   leaves ({@link #onDemandGone}): served, timed out, interrupted or failed. A key left queued
 *   without a caller kept {@link #isWanted()} true, and every release of another key closed a
 *   healthy connection for nobody. The queue and its size change under one lock (slow paths only);
 *   releases read the size, a volatile int, without it. A key that queues looks at its callers
 *   again once queued, and one taken out because its last caller left looks at them again once out
 *   ({@link #withdraw}): a caller and the queue each write their side before reading the other's,
 *   so a caller that comes at that moment is never left with its key out of the queue.</li>
 *   <li><b>A key's idle connections are its own waiters' while it has any.</b> Making room skips such
 *   a key. A connection dialed for a waiting key, or returned to one, goes idle a moment before its
 *   waiter takes it; closed then for another key, the waiter's key dialed again, and the next dial
 *   went the same way (two keys through a total of one traded dials until a caller timed out).</li>
 *   <li><b>When a key's last caller leaves, its idle connections are offered.</b> With rule 2, a key
 *   that kept an idle connection for a caller that then timed out (or was served by another
 *   connection) would otherwise hold room that a queued key waits for. The caller leaving lowers the
 *   key's waiter count, then reads whether any key is queued; a key queuing raises the queue's size,
 *   then looks for idle connections of keys without waiters: one of the two sees the other, and
 *   room is made. So is a dial that lands after its caller left: it goes idle for nobody and is
 *   offered like any release ({@link #onReleased}).</li>
 * </ol>
 * Room handed to a queued key reaches it even when the key is in the middle of asking for room
 * itself, holding a unit of its own cap: its fill runs once more instead of giving up (see
 * {@link Engine#fillDemand}).
 *
 * <p>Room is made eagerly: every release (and every connection gone idle) while a key is queued
 * makes room, even if room already freed for that key is on its way (its connection still
 * closing). The key is then served by whichever unit comes first, and the other stays free for the
 * next caller: a spare dial later costs less than a caller waiting on another's slow close.
 *
 * <p>Handing out freed room calls into engines (to dial), which may free room again: one thread
 * hands out at a time and the others leave it a note ({@code wakeWork}), and no lock is held while
 * an engine is called.
 */
final class TotalCapacity implements Capacity {

    static final long GRANULARITY_NANOS = 1_000_000_000L;

    private final AtomicInteger used = new AtomicInteger();
    private final AtomicInteger keys = new AtomicInteger();
    private volatile int max;
    /** Keys waiting for room, first come first served; guarded by itself. */
    private final LinkedHashSet<Engine<?>> waiting = new LinkedHashSet<>();
    /** {@code waiting.size()}, written under its lock and read without: every keyed release reads it. */
    private volatile int waitingCount;
    private final AtomicInteger wakeWork = new AtomicInteger();
    private final ConcurrentSkipListMap<Recency, Engine<?>> leastRecentlyUsed = new ConcurrentSkipListMap<>();
    private final AtomicLong recencySequence = new AtomicLong();
    private final AtomicLong keysVisited = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    /** Coarse for the system ticker ({@link CoarseClock}); any other ticker (a test's) is read each time. */
    private final io.connpool.Ticker clock;
    /** Told when an engine gave back its last unit: its owner may forget the key. */
    private final java.util.function.Consumer<Engine<?>> onEmpty;

    TotalCapacity(int max, io.connpool.Ticker ticker, java.util.function.Consumer<Engine<?>> onEmpty) {
        this.max = max;
        this.clock = CoarseClock.hotPath(ticker);
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
                    if (waitingCount != 0) {
                        dequeue(requester); // queued by an earlier attempt: it has its room now
                    }
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
        if (requester.hasDemand() && requester.liveCount() < fairShare() && enqueue(requester)) {
            if (!requester.hasDemand()) {
                // Its last caller left between our look and our queuing, and may have looked for it
                // in the queue before it was there (onDemandGone): it must not stay without a caller.
                withdraw(requester);
                return false;
            }
            // Look once more now that we are counted: a unit freed, or a connection gone idle (or
            // left by its key's last waiter), while we queued may have been published by a thread
            // that still saw nobody waiting. (Those threads publish first and look at waitingCount
            // second, so one side sees the other: a keyed engine's release keeps its fence for this,
            // see EngineHotFields.orderedRelease.) The room may go to this very key, on this thread,
            // while it holds a unit of its own room: Engine.fillDemand makes that a second pass.
            if (used.get() < max || makeRoom(requester)) {
                wakeWaiting();
            }
        }
        return false;
    }

    @Override
    public void free(Engine<?> from) {
        used.decrementAndGet();
        if (waitingCount != 0) {
            wakeWaiting();
        }
        if (from.isForgettable()) {
            onEmpty.accept(from);
        }
    }

    @Override
    public boolean isWanted() {
        return waitingCount != 0 || used.get() > max;
    }

    @Override
    public boolean shouldYield(Engine<?> engine, int engineConnections) {
        return waitingCount != 0 && engineConnections > fairShare();
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
        if (waitingCount != 0 && makeRoom(null)) {
            evictions.incrementAndGet(); // a key queued for room while this connection went idle
        }
    }

    @Override
    public void onDemandGone(Engine<?> engine) {
        if (waitingCount == 0) {
            return; // nobody queued, this key included
        }
        withdraw(engine);
        if (waitingCount != 0 && engine.hasIdle() && makeRoom(null)) {
            evictions.incrementAndGet(); // kept for callers that left: room for a key that waits
        }
    }

    @Override
    public String describe() {
        int inUse = used.get();
        return inUse >= max ? "; all keys together are at max-total (" + inUse + " of " + max + ")" : "";
    }

    /** The time the least-recently-used order is kept by. */
    long now() {
        return clock.nanoTime();
    }

    /** Closes the least recently used idle connection of a key other than {@code requester}. */
    private boolean makeRoom(Engine<?> requester) {
        Iterator<Map.Entry<Recency, Engine<?>>> entries = leastRecentlyUsed.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<Recency, Engine<?>> entry = entries.next();
            keysVisited.incrementAndGet();
            Engine<?> engine = entry.getValue();
            if (engine == requester || engine.hasDemand()) {
                continue; // idle connections of a key with waiters are theirs (see the class comment)
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
            while (used.get() < max && (engine = poll()) != null) {
                engine.fillDemand(); // reserves the unit, or queues again if another key took it first
            }
            missed = wakeWork.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Queues a key for room; false if it is queued already. */
    private boolean enqueue(Engine<?> engine) {
        synchronized (waiting) {
            if (!waiting.add(engine)) {
                return false;
            }
            waitingCount = waiting.size();
            return true;
        }
    }

    /** Takes a key out of the queue for room; false if it was not in it. */
    private boolean dequeue(Engine<?> engine) {
        synchronized (waiting) {
            if (!waiting.remove(engine)) {
                return false;
            }
            waitingCount = waiting.size();
            return true;
        }
    }

    /**
     * Takes a key that seemed to have no caller left out of the queue, then looks at its callers
     * again: one that came meanwhile raised the key's waiter count before it tried to queue the key
     * (and found it queued, so it did not), and must not be left out. Within the key's own fill (the
     * usual case), the fill asked for here is that fill's next pass.
     */
    private void withdraw(Engine<?> engine) {
        if (dequeue(engine) && engine.hasDemand()) {
            engine.fillDemand();
        }
    }

    /** Takes the first key out of the queue for room; null when none waits. */
    private Engine<?> poll() {
        synchronized (waiting) {
            Iterator<Engine<?>> first = waiting.iterator();
            if (!first.hasNext()) {
                return null;
            }
            Engine<?> engine = first.next();
            first.remove();
            waitingCount = waiting.size();
            return engine;
        }
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
        dequeue(engine);
    }

    void resize(int newMax) {
        max = newMax;
        while (used.get() > newMax && makeRoom(null)) {
            // close idle connections, least recently used first, until under the new cap
        }
        wakeWaiting();
    }

    /** The keys queued for room now, first come first; for tests. */
    List<Object> queuedKeys() {
        synchronized (waiting) {
            List<Object> queued = new ArrayList<>(waiting.size());
            for (Engine<?> engine : waiting) {
                queued.add(engine.key());
            }
            return queued;
        }
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
