package io.connpool.internal;

import io.connpool.PoolListener;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The fields a checkout and a return read, declared apart from {@link Engine} so that the JVM lays
 * them out first, together, right after the object header (a superclass's fields come before a
 * subclass's). In {@code Engine} they were spread over the object's first three cache lines among
 * fields the hot path never reads; a keyed pool with thousands of keys finds a key's engine in no
 * cache, and every line of it the checkout touches is a miss. Everything else an engine keeps is in
 * {@link Engine}.
 */
abstract class EngineHotFields<C> {

    private static final VarHandle ALLOCATED;
    private static final VarHandle WAITER_COUNT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ALLOCATED = lookup.findVarHandle(EngineHotFields.class, "allocated", int.class);
            WAITER_COUNT = lookup.findVarHandle(EngineHotFields.class, "waiterCount", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** At most 2^8 buckets in the home table; a pool of its own always has that many. */
    static final int HOME_BITS = 8;

    /** Calls one connection takes at once: 1 for an exclusive pool. */
    final int maxCalls;
    /** True when checkouts go through the thread's home slot ({@code Engine.Router.HOME}): every exclusive pool. */
    final boolean homeRouted;
    /** Room shared with other engines (a keyed pool's total cap), or {@link Capacity#UNSHARED}. */
    final Capacity shared;
    final PoolListener listener;
    /**
     * True when no setting of this pool needs the time of a checkout or a return (no lifetime, idle
     * timeout, validation, keepalive, leak detection or listener): the hot path then reads no clock,
     * which is two of its most expensive instructions. Connection snapshots then show the creation
     * time as last-used time. (A keyed pool's least-recently-used order keeps its own time: see
     * TotalCapacity.)
     */
    final boolean clockless;
    /**
     * True when the pool keeps the system's time: a checkout and a return then read the coarse clock
     * the scheduler thread ticks four times a second ({@link CoarseClock#SYSTEM}: how late it may be,
     * and what that costs the lifetime and validation bounds), a constant the JIT folds in. Otherwise
     * they read {@code Engine.hotTicker}.
     */
    final boolean systemClock;
    /**
     * True when a checkout and its return record more than the time (a listener's usage times, a leak
     * trace): {@code Engine.trackCheckout} and {@code Engine.trackRelease}, out of the default path.
     */
    final boolean tracksCheckouts;
    /** Which checkouts are timed for the listeners' usage times ({@link GuardedListener#usageTiming}). */
    final byte usageTiming;
    /**
     * True for an exclusive pool of its own: a release then writes the slot idle with an ordered store
     * instead of a CAS. A CAS (any fence) drains the core's store buffer: on the build machine's
     * Intel Xeon it was ~30 % of an uncontended cycle (UncontendedBenchmark, 1 thread: 58-59 against
     * 84-86 ops/us). What the fence gave, that a releaser and a waiter queuing at the same instant
     * always see each other, the first waiter's bounded sleep gives instead
     * ({@code Engine.HEAD_RECHECK_NANOS}). A shared connection counts its calls and needs the CAS. A
     * keyed pool's engines keep it too (it was worth 85 -> 109 ops/us with 4 keys): its
     * least-recently-used index drops a key found with nothing idle, and the key's releaser re-adds
     * it only if its read of the index flag follows its idle write; without the fence both could
     * miss, and a key waiting for room would never find that connection.
     */
    final boolean orderedRelease;

    /**
     * The slot each thread (by the low bits of its id: consecutive ids land in distinct buckets) last
     * claimed; null when none yet or the slot left the pool. A checkout first tries that slot, so
     * threads settle on distinct connections: two threads whose scans start at the same slot
     * otherwise pass one connection back and forth between cores (ContendedBenchmark, pool of 2,
     * 8 threads: 26 to 48 ops/us). The slot itself, not its index in {@code slots}, so that the try
     * is one load from the table to the state word; keeping the index cost a load from the slot
     * array and a multiply (UncontendedBenchmark, 1 thread: ~50 against ~60 ops/us for a fixed
     * slot). Written only when a thread moves, so in the steady state the table is read-only and
     * shared by all cores without traffic. Two threads sharing a bucket trade one connection, so a
     * pool of its own has 256 buckets (4 threads: one fork in five ran at 70 instead of 95 ops/us
     * with 64); a keyed pool's engines have four per connection, at most 256, so that 10,000 small
     * engines keep a small footprint. Cleared of a slot when it leaves the pool ({@code Engine.forget}),
     * so the table never keeps a closed connection reachable.
     */
    final Slot<C>[] homes;
    final int homeMask;
    /**
     * Live connections plus dials under way; raised only by a CAS below {@code maxSize}. The two
     * counters are fields updated through VarHandles, not AtomicIntegers: each AtomicInteger is an
     * object of its own, which a keyed pool with thousands of keys finds on a cache line of its own,
     * two more misses per checkout.
     */
    private volatile int allocated;
    /** Waiters whose outcome is not decided yet; lowered by whoever decides it. Drives dispatch. */
    private volatile int waiterCount;

    /** Engine.RUNNING (0, the initial value), PAUSED or CLOSED. */
    volatile int lifecycle;
    /** True while returned connections go straight to the waiters in order (no newcomer may barge). */
    volatile boolean handOff;
    /** Above this many live connections a release takes the slow path: min(maxSize, maxIdle). */
    volatile int releaseCheckAbove;
    /** A keyed pool's least-recently-used order: whether this engine is in it, and since when. */
    volatile boolean lruIndexed;
    volatile long lruStamp;

    final int allocated() {
        return allocated;
    }

    final boolean casAllocated(int expected, int next) {
        return ALLOCATED.compareAndSet(this, expected, next);
    }

    final void decrementAllocated() {
        ALLOCATED.getAndAdd(this, -1);
    }

    final int waiterCount() {
        return waiterCount;
    }

    final void incrementWaiters() {
        WAITER_COUNT.getAndAdd(this, 1);
    }

    final void decrementWaiters() {
        WAITER_COUNT.getAndAdd(this, -1);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    EngineHotFields(PoolConfig config, int maxCalls, Engine.Router router, Capacity shared, boolean standalone) {
        this.maxCalls = maxCalls;
        this.homeRouted = router == Engine.Router.HOME;
        this.shared = shared;
        this.listener = GuardedListener.of(config.name(), config.listeners());
        this.clockless = config.maxLifetimeNanos() == 0 && config.idleTimeoutNanos() == 0
                && !config.validateOnBorrow() && config.keepaliveNanos() == 0 && config.leakDetectionNanos() == 0
                && listener == GuardedListener.NONE;
        this.systemClock = CoarseClock.hotPath(config.ticker()) == CoarseClock.SYSTEM;
        this.usageTiming = GuardedListener.usageTiming(listener); // asks each listener once
        this.tracksCheckouts = usageTiming != GuardedListener.USAGE_NOT_TIMED || config.leakDetectionNanos() > 0;
        int homeBits = standalone ? HOME_BITS  // four buckets per connection otherwise (see homes)
                : Math.min(HOME_BITS, 34 - Integer.numberOfLeadingZeros(Math.max(1, config.maxSize() - 1)));
        this.homes = (Slot<C>[]) new Slot[1 << homeBits];
        this.homeMask = (1 << homeBits) - 1;
        this.releaseCheckAbove = Math.min(config.maxSize(), config.maxIdle());
        this.orderedRelease = maxCalls == 1 && shared == Capacity.UNSHARED;
    }
}
