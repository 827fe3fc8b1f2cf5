package io.connpool.internal;

import io.connpool.BatchFailure;
import io.connpool.BatchFunction;
import io.connpool.BatchResult;
import io.connpool.CallbackException;
import io.connpool.CircuitState;
import io.connpool.ConnectionCallback;
import io.connpool.ConnectionFactory;
import io.connpool.ConnectionFailedException;
import io.connpool.ConnectionInfo;
import io.connpool.ConnectionState;
import io.connpool.DestroyReason;
import io.connpool.InvalidConfigException;
import io.connpool.Lease;
import io.connpool.NoMatchingConnectionException;
import io.connpool.PoolClosedException;
import io.connpool.PoolException;
import io.connpool.PoolExhaustedException;
import io.connpool.PoolListener;
import io.connpool.PoolStats;
import io.connpool.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The engine under every pool: connections of one destination, handed out exclusively or shared by up
 * to {@code maxCalls} calls at once.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Slots.</b> Live connections sit in a copy-on-write array of {@link Slot}s. A slot's
 *   {@code state} word says who holds it (see {@link Slot}); a CAS on it is the only way to take a
 *   connection, so no lock guards the array's contents, only its rare structural changes.</li>
 *   <li><b>Fast path.</b> {@link #acquire} with nobody waiting: scan the array from a per-thread
 *   starting index (the slot it last claimed, so threads keep "their" connection and do not all fight
 *   over slot 0) and CAS the first idle slot. {@link #release}: one ordered store of {@code state}
 *   (a CAS for shared connections and keyed pools), then one read of the waiter count. No lock, and
 *   no allocation once the JIT has removed the lease.</li>
 *   <li><b>Fairness, bounded.</b> Waiters queue FIFO. In normal mode a returned connection goes idle and
 *   the first waiter is woken to compete for it with newcomers (a returning thread takes its
 *   connection back without a context switch); waiters behind the first stay parked, so among
 *   waiters the order holds. A first waiter is woken once this way: having lost the race, it sleeps
 *   until hand-off is due (more wake-ups would mostly lose again, each a context switch). Waiters
 *   behind it sleep until served or first in line: the first place is passed on by whoever leaves
 *   it. When the first waiter has waited {@code handOffAfter} (a setting; 500 µs by default), the
 *   pool switches to hand-off mode: connections go to waiters only through {@link #dispatch}, head
 *   first, and newcomers queue; a waiter served promptly switches it back (Go's sync.Mutex rule).
 *   Wake-ups: a releaser writes {@code state} then reads the waiter count (and the head's
 *   {@code awake}); a waiter raises the count (clears {@code awake}), then looks at {@code state}.
 *   A plain pool's release writes {@code state} with an ordered store, not a fence (a fence costs
 *   ~30 % of an uncontended cycle on Intel), so the releaser's read may pass its write and both
 *   may miss each other; the first waiter therefore never sleeps longer than
 *   {@link #HEAD_RECHECK_NANOS} before it looks again, which bounds the rare lost wake-up. Waiters
 *   behind the first need no timer: the count they raised long ago is visible to every releaser.</li>
 *   <li><b>Capacity.</b> {@code allocated} counts live connections plus those being dialed, and is
 *   only raised by a CAS below {@code maxSize}, so any number of concurrent dials cannot overshoot.
 *   Dials run on the shared worker threads ({@link Background}), never under a lock.</li>
 *   <li><b>Creation</b> is driven by demand ({@link #fillDemand}): plain waiters plus the
 *   {@code minIdle} deficit, at most {@code maxConnecting} dials at a time, gated by the
 *   {@link CircuitBreaker}. A waiter being handed a connection is not counted again through the
 *   connection it claimed ({@link Serving}). A new connection joins the pool and is dispatched to the head waiter,
 *   so creation never breaks FIFO order.</li>
 *   <li><b>Shared connections</b> ({@code maxCalls > 1}, a SharedPool): the state word counts the
 *   calls running; {@link Slot#RETIRING} stops new calls on a broken or expired connection and the
 *   last call out closes it. A {@link Router} picks the connection; {@code HOME} is the exclusive
 *   pool's per-thread scan.</li>
 *   <li><b>Shared capacity</b> ({@link Capacity}): a keyed pool's engines, one per key, also reserve
 *   from a total cap, which may make room by closing another key's least recently used idle
 *   connection. A plain pool's capacity is a no-op the JIT folds away.</li>
 *   <li><b>User code</b> (the factory, listeners, filters, the broken-connection rule, executors)
 *   is called only through {@link UserCode}: whatever it throws is accounted for, a filter runs only
 *   on its own caller's thread, a validation runs on a worker and is waited for with a bound, and a
 *   holder's connection (or any, once the pool is closed) is closed on a worker, its room freed
 *   when the close returns. See {@code UserCode} for the rules.</li>
 *   <li><b>Time.</b> Connection bookkeeping (lifetimes, idle time, back-off) reads the configurable
 *   {@link Ticker}; waiting callers park on real time, so a test that freezes the ticker cannot hang
 *   a caller.</li>
 * </ul>
 */
public final class Engine<C> extends EngineHotFields<C> {

    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    /** {@code pendingCallers} while an owner decides whether to forget the engine. */
    private static final int DECIDING = Integer.MIN_VALUE;

    private static final int RUNNING = 0;
    private static final int PAUSED = 1;
    private static final int CLOSED = 2;

    private static final long UNLIMITED = Long.MAX_VALUE / 4;
    /**
     * The longest the first waiter sleeps before it looks again on its own (at the slots, or in
     * hand-off mode through dispatch), whatever {@code handOffAfter} is. Releasers wake it; this
     * bounds the wake-ups they can miss: a plain pool's release writes the slot idle without a fence,
     * so a releaser may read the waiter count before its write is visible to a waiter that has just
     * queued (see the class comment). A store is visible within nanoseconds, so such a miss is rare,
     * and costs at most this long. Also keeps a zero {@code handOffAfter} from spinning.
     */
    static final long HEAD_RECHECK_NANOS = Duration.ofMillis(1).toNanos();
    /**
     * The longest a waiter with a filter sleeps before it looks again on its own. Releasers wake it
     * (wakeFiltered); this bounds the rare wake-up an unfenced release misses, as above.
     */
    private static final long FILTER_RECHECK_NANOS = Duration.ofMillis(10).toNanos();
    /** Far longer than a store takes to reach every core: close() looks again after this long. */
    private static final long RELEASE_VISIBLE_NANOS = 100_000; // 100 us
    /** The most of its grace close(grace) keeps for the closes of connections it took from their holders. */
    private static final long FORCED_CLOSE_SHARE_NANOS = Duration.ofMillis(100).toNanos();
    /** An expiry every reading of the clock is past: now - DRAINED stays positive without overflow. */
    private static final long DRAINED = Long.MIN_VALUE / 2;
    /** A checkout's start when no listener times it (see usageStart): its release reports no usage. */
    static final long UNTIMED = Long.MIN_VALUE;
    private static final long MIN_HOUSEKEEPING_NANOS = Duration.ofMillis(50).toNanos();
    private static final long MAX_HOUSEKEEPING_NANOS = Duration.ofSeconds(30).toNanos();

    @SuppressWarnings("rawtypes")
    private static final Slot[] NO_SLOTS = new Slot[0];

    private final PoolConfig config;
    private final String name;
    private final Object key;
    private final ConnectionFactory<C> factory;
    private final PaddedCounter roundRobin;
    private final boolean standalone;
    /** The precise clock: dials, back-off, validation stamps, timed usage, housekeeping. */
    private final Ticker ticker;
    /**
     * What the hot path reads when {@link #systemClock} is false: the user's ticker (a test's), or a
     * coarse clock a test ticks by hand ({@link CoarseClock#manual}).
     */
    private final Ticker hotTicker;
    /**
     * Validation after inactivity as checkout compares it: the setting less the hot clock's slack (so a
     * connection idle for the full setting is never handed out unvalidated), {@code Long.MIN_VALUE}
     * (every checkout) when the setting is within the slack, {@code Long.MAX_VALUE} with validation
     * on borrow off.
     */
    private final long validateAfterInactivityHot;
    private final Router router;
    private final CircuitBreaker circuit;
    private final Instant baseInstant;
    private final long baseNanos;
    private final long leakNanos;
    /**
     * How long the first waiter competes with newcomers before returned connections are handed to
     * waiters directly (Go's sync.Mutex starvation rule). Bounded unfairness: throughput of a barging
     * pool, and no waiter starves longer than this plus a wake-up. Zero: always hand off.
     */
    private final long handOffAfterNanos;

    private final Object structureLock = new Object();
    /** REMOVED slots still in the array; guarded by structureLock. */
    private int removedInArray;
    /** Times the array was compacted; guarded by structureLock. For tests of the removal cost. */
    private long arrayRebuilds;
    private volatile Slot<C>[] slots;
    private final AtomicInteger creating = new AtomicInteger();
    /** Closes started and not yet returned: raised when one starts, lowered under closeErrors' monitor (close() waits on it). */
    private final AtomicInteger closesRunning = new AtomicInteger();
    /**
     * Callers inside a wait, raised and lowered by the callers themselves: what max-pending caps and
     * stats report. (A served caller may already be back for more before its server lowered
     * waiterCount; counting it twice would refuse callers under the cap.)
     */
    private final AtomicInteger pendingCallers = new AtomicInteger();
    private final AtomicInteger specialWaiters = new AtomicInteger();
    /** Calls of fillDemand not yet run; the one that raised it from zero runs them (see fillDemand). */
    private final AtomicInteger fillRequests = new AtomicInteger();
    /** Waiters being handed a connection while still counted as waiting: fillDemand must not dial for them. */
    private final Serving serving = new Serving();
    private final ConcurrentLinkedQueue<Waiter<C>> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicLong ids = new AtomicLong();

    private volatile int maxSize;
    /** Set when revive is off and a connection was lost to a failure: minIdle waits for demand. */
    private volatile boolean minIdleSuspended;

    private final LongAdder successfulOps = new LongAdder();
    private final LongAdder failedOps = new LongAdder();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong destroyed = new AtomicLong();
    private final AtomicLong createFailures = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong leaks = new AtomicLong();

    private final ReentrantLock housekeepingLock = new ReentrantLock();
    private volatile boolean housekeepingRequested;
    private final ScheduledFuture<?> housekeeper;
    private ScheduledFuture<?> retryTask;
    private final List<Throwable> closeErrors = new ArrayList<>();

    /** How a call picks its connection. HOME is the exclusive pool's; the others are a SharedPool's. */
    public enum Router {
        /** Start at a per-thread index, take the first idle slot: threads keep "their" connection. */
        HOME,
        ROUND_ROBIN,
        LEAST_IN_FLIGHT,
        /** Routing.RANDOM: the better of two random picks. */
        TWO_CHOICES,
        /** One random pick, then the next with room: kept to measure TWO_CHOICES against. */
        UNIFORM_RANDOM
    }

    /** A standalone exclusive engine: a pool of its own, with its own housekeeping. */
    public Engine(PoolConfig config, ConnectionFactory<C> factory, int maxCalls) {
        this(config, factory, null, maxCalls, Capacity.UNSHARED, true, Router.HOME);
    }

    /** A standalone shared engine: up to {@code maxCalls} calls per connection, routed by {@code router}. */
    public Engine(PoolConfig config, ConnectionFactory<C> factory, int maxCalls, Router router) {
        this(config, factory, null, maxCalls, Capacity.UNSHARED, true, router);
    }

    Engine(PoolConfig config, ConnectionFactory<C> factory, Object key, int maxCalls, Capacity shared, boolean standalone) {
        this(config, factory, key, maxCalls, shared, standalone, Router.HOME);
    }

    /**
     * @param key        the destination, shown in connection snapshots; null for a plain pool
     * @param shared     room shared with other engines (a keyed pool's total cap)
     * @param standalone true: the engine retains the background threads and schedules its own
     *                   housekeeping; false: its owner does both (one task for all its engines)
     */
    @SuppressWarnings("unchecked")
    private Engine(PoolConfig config, ConnectionFactory<C> factory, Object key, int maxCalls, Capacity shared,
                   boolean standalone, Router router) {
        super(config, maxCalls, router, shared, standalone);
        this.config = config;
        this.name = config.name();
        this.key = key;
        this.factory = factory;
        this.standalone = standalone;
        this.ticker = CoarseClock.precise(config.ticker());
        this.hotTicker = CoarseClock.hotPath(config.ticker());
        this.router = router;
        long slack = CoarseClock.slackNanos(hotTicker);
        long validateAfter = config.validateAfterInactivityNanos();
        this.validateAfterInactivityHot = !config.validateOnBorrow() ? Long.MAX_VALUE
                : validateAfter <= slack ? Long.MIN_VALUE : validateAfter - slack;
        this.circuit = new CircuitBreaker(config.backoffInitialNanos(), config.backoffMaxNanos());
        this.baseInstant = Instant.now();
        this.baseNanos = ticker.nanoTime();
        this.leakNanos = config.leakDetectionNanos();
        this.handOffAfterNanos = config.handOffAfterNanos();
        this.slots = (Slot<C>[]) NO_SLOTS;
        // 280 bytes, so only where it is used: a keyed pool keeps one engine per key
        this.roundRobin = router == Router.ROUND_ROBIN ? new PaddedCounter() : null;
        this.maxSize = config.maxSize();
        if (standalone) {
            Background.retain();
            this.housekeeper = Background.scheduleWithFixedDelay(this::scheduledHousekeeping, housekeepingPeriod(config));
            fillDemand();
        } else {
            this.housekeeper = null; // the owner warms the engine once it is registered
        }
    }

    public String name() {
        return name;
    }

    public long defaultTimeoutNanos() {
        return config.acquireTimeoutNanos();
    }

    // ------------------------------------------------------------------------------------------------
    // Acquire and release: the hot path
    // ------------------------------------------------------------------------------------------------

    /** Takes a connection, waiting up to {@code timeoutNanos}. The caller must release or destroy it. */
    public Slot<C> acquire(long timeoutNanos) {
        if ((!handOff || waiterCount() == 0) && lifecycle == RUNNING) {
            Slot<C> slot = claimIdle(null);
            if (slot != null && checkout(slot, clock(), timeoutNanos, null)) {
                listener.onAcquired(0);
                return slot;
            }
        }
        return acquireSlow(timeoutNanos, null);
    }

    /** Takes a connection whose snapshot matches {@code filter}, waiting up to {@code timeoutNanos}. */
    public Slot<C> acquire(long timeoutNanos, Predicate<ConnectionInfo> filter) {
        return acquireSlow(timeoutNanos, filter);
    }

    /** Returns a connection to the pool (exclusive pools: the slot knows when it was taken). */
    public void release(Slot<C> slot) {
        release(slot, slot.acquiredAt);
    }

    /** Ends one call that began at {@code acquiredAt} (shared pools: many calls share the slot). */
    public void release(Slot<C> slot, long acquiredAt) {
        long now = 0L;
        if (!clockless) {
            now = hotNow();
            slot.lastUsedAt = now;
            if (tracksCheckouts && trackRelease(slot, acquiredAt)) {
                releaseSlow(slot, now);
                return;
            }
        }
        // A closed pool needs no check here: the connection goes idle, and the lifecycle read after
        // that (below) hands it to afterRelease, which closes it.
        if (now - slot.expiresAt >= 0 || allocated() > releaseCheckAbove || shared.isWanted()) {
            releaseSlow(slot, now);
            return;
        }
        if (orderedRelease) {
            // No fence (see Slot.releaseHeld): a slot close() took out under us comes back idle for a
            // moment, and the lifecycle read below sends it to afterRelease, which takes it out again.
            slot.releaseHeld();
        } else {
            int left = slot.releaseCall(maxCalls);
            if (left < 0 || (left & Slot.RETIRING) != 0) {
                leftRetired(slot, left);
                return;
            }
        }
        shared.onReleased(this);
        if (waiterCount() != 0 || lifecycle != RUNNING) {
            afterRelease(slot);
        }
    }

    /** After a call ended on a slot that takes no new calls: the last one out closes it. */
    private void leftRetired(Slot<C> slot, int left) {
        if (left == Slot.RETIRING) {
            DestroyReason reason = slot.retireReason;
            destroyForHolder(slot, reason != null ? reason : DestroyReason.BROKEN);
        }
    }

    /**
     * Takes a connection out of service on behalf of one of its holders, who is done with it. An
     * exclusive connection is closed at once; a shared one stops taking calls and is closed when the
     * last call running on it ends.
     */
    private void retireAndLeave(Slot<C> slot, DestroyReason reason) {
        if (maxCalls == 1) {
            destroyForHolder(slot, reason);
            return;
        }
        retire(slot, reason);
        leftRetired(slot, slot.releaseCall(maxCalls));
    }

    /** Stops new calls on a shared slot; closes it now if no call runs on it. */
    private void retire(Slot<C> slot, DestroyReason reason) {
        if (slot.retireReason == null) {
            slot.retireReason = reason;
        }
        if (slot.markRetiring() && slot.state == Slot.RETIRING) {
            destroyForHolder(slot, reason);
        }
        if (reason == DestroyReason.BROKEN || reason == DestroyReason.INVALID) {
            suspectSiblings();
        }
    }

    /**
     * Hands the released connection on, or closes it if close() ran while it was out (close() writes
     * the lifecycle then sweeps idle slots; we wrote the slot idle then read the lifecycle: one of the
     * two sees the other, so the connection is never stranded open in a closed pool).
     */
    private void afterRelease(Slot<C> slot) {
        if (lifecycle == CLOSED) {
            if (slot.tryReserve()) {
                destroy(slot, DestroyReason.POOL_CLOSED, true);
            }
            return;
        }
        if (handOff) {
            dispatch();
        } else {
            wakeHead();
            if (specialWaiters.get() > 0) {
                wakeFiltered();
            }
        }
    }

    /**
     * Normal mode: the first waiter is woken to compete for the idle connection with callers that just
     * arrived (often the thread that returned it, whose cache is warm: no hand-off, no context switch).
     * Waiters behind the first stay parked, so among waiters the order is still first come first served.
     * A first waiter that already lost such a race is not woken again: it sleeps until hand-off is due.
     * Measured on 2 cores: the repeated wake-ups cost a fifth of the throughput with 32 threads on 8
     * Redis connections (RedisBenchmark, 50 to 64 ops/ms together with untimed waits behind the first).
     */
    private void wakeHead() {
        Waiter<C> head = firstWaiting();
        if (head != null && !head.awake && !head.outraced) {
            head.awake = true;
            head.wake();
        }
    }

    /**
     * A waiter that left the queue on its own (served itself, timed out, interrupted) passes the first
     * place on: the waiters behind it sleep until woken, and the next must not sleep through a
     * connection that is idle now. (It removed itself with a CAS, then looks at the slots; a releaser
     * writes its slot idle with a CAS, then looks at the queue: one of the two sees the other.)
     */
    private void passHead() {
        if (waiterCount() == 0 || lifecycle != RUNNING) {
            return;
        }
        if (handOff) {
            dispatch();
        } else if (anyIdle()) {
            wakeHead();
            if (specialWaiters.get() > 0) {
                wakeFiltered();
            }
        }
    }

    private boolean anyIdle() {
        for (Slot<C> slot : slots) {
            if (slot.isIdle()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first waiter without a filter still waiting (one served or gone may linger at the head for a
     * moment). Waiters with a filter stand outside the first-come order: see {@link #wakeFiltered}.
     */
    private Waiter<C> firstWaiting() {
        Waiter<C> head = waiters.peek(); // the usual case, without an iterator on every release
        if (head == null || head.isWaiting() && head.filter == null) {
            return head;
        }
        for (Waiter<C> waiter : waiters) {
            if (waiter.isWaiting() && waiter.filter == null) {
                return waiter;
            }
        }
        return null;
    }

    /**
     * Wakes every waiter with a filter to look at the idle connections itself. A filter is its
     * caller's code: it is only ever tested on that caller's thread (see {@link UserCode}), never by
     * a releaser or a worker handing connections out, so what it throws or how long it takes reaches
     * nobody else.
     */
    private void wakeFiltered() {
        for (Waiter<C> waiter : waiters) {
            if (waiter.filter != null && waiter.isWaiting()) {
                waiter.wake();
            }
        }
    }

    /** Closes a connection its holder found broken instead of returning it. */
    public void invalidate(Slot<C> slot) {
        invalidate(slot, slot.acquiredAt);
    }

    /** Ends a call that found its (shared) connection broken: the connection takes no more calls. */
    public void invalidate(Slot<C> slot, long acquiredAt) {
        if (acquiredAt != UNTIMED) {
            listener.onReleased(ticker.nanoTime() - acquiredAt);
        }
        reportLateReturn(slot);
        retireAndLeave(slot, DestroyReason.BROKEN);
    }

    /**
     * The hot path's time, or 0 when this pool needs no time there. A read of the system clock costs
     * as much as a whole uncontended checkout here.
     */
    private long clock() {
        return clockless ? 0L : hotNow();
    }

    /** The hot path's time: the coarse system clock ({@link #systemClock}), or the test's ticker. */
    private long hotNow() {
        return systemClock ? CoarseClock.SYSTEM.nanoTime() : hotTicker.nanoTime();
    }

    /**
     * When a checkout (or a call on a shared connection) began, for the listeners' usage times, read
     * from the precise clock; {@link #UNTIMED} when no listener times this one. A sampled listener
     * gets at most one timed checkout per connection per tick of the hot clock: the slot remembers
     * the tick it was last timed in (a racy read and write on a shared slot only changes the sample).
     */
    private long usageStart(Slot<C> slot, long now) {
        if (usageTiming == GuardedListener.USAGE_NOT_TIMED) {
            return UNTIMED;
        }
        if (usageTiming == GuardedListener.USAGE_SAMPLED) {
            if (slot.usageTimedAt == now) {
                return UNTIMED;
            }
            slot.usageTimedAt = now;
        }
        return ticker.nanoTime();
    }

    private Slot<C> claimIdle(Predicate<ConnectionInfo> filter) {
        if (!homeRouted) {
            return claimShared(filter);
        }
        long threadId = Thread.currentThread().getId();
        int bucket = (int) threadId & homeMask;
        Slot<C> home = homes[bucket];
        if (filter == null && home != null && home.state == Slot.IDLE && home.cas(Slot.IDLE, 1)) {
            return home;
        }
        return claimScanning(filter, threadId, bucket, home);
    }

    /** The thread's own slot is busy (or gone, or filtered out): the first idle one, from a spot of its own. */
    private Slot<C> claimScanning(Predicate<ConnectionInfo> filter, long threadId, int bucket, Slot<C> home) {
        Slot<C>[] all = slots;
        int n = all.length;
        // the mixed id mapped onto [0, n) by a multiply and a shift (no division)
        int i = (int) ((((threadId * 0x9E3779B97F4A7C15L) >>> 32) * n) >>> 32);
        for (int k = 0; k < n; k++) {
            Slot<C> slot = all[i];
            if (slot.state == Slot.IDLE && (filter == null || UserCode.test(filter, info(slot), name))
                    && slot.tryClaim(maxCalls)) {
                if (slot != home) {
                    homes[bucket] = slot; // a plain write: a lost update only costs a scan
                }
                return slot;
            }
            if (++i == n) {
                i = 0;
            }
        }
        return null;
    }

    /** Claims room for one call on a shared connection, picked by the pool's routing. */
    private Slot<C> claimShared(Predicate<ConnectionInfo> filter) {
        Slot<C>[] all = slots;
        int n = all.length;
        if (n == 0) {
            return null;
        }
        int start;
        switch (router) {
            case LEAST_IN_FLIGHT:
                for (int attempt = 0; attempt < 3; attempt++) {
                    Slot<C> best = null;
                    int bestState = Integer.MAX_VALUE;
                    for (Slot<C> slot : all) {
                        int state = slot.state;
                        if (state >= 0 && state < maxCalls && state < bestState && matches(slot, filter)) {
                            best = slot;
                            bestState = state;
                        }
                    }
                    if (best == null) {
                        return null;
                    }
                    if (best.cas(bestState, bestState + 1)) {
                        return best;
                    }
                }
                start = 0;
                break;
            case TWO_CHOICES:
                if (n > 1) {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    int i = random.nextInt(n);
                    int j = random.nextInt(n - 1);
                    j = j >= i ? j + 1 : j;
                    Slot<C> a = all[i];
                    Slot<C> b = all[j];
                    Slot<C> pick = (b.state >= 0 && (a.state < 0 || b.state < a.state)) ? b : a;
                    if (matches(pick, filter) && pick.tryClaim(maxCalls)) {
                        return pick;
                    }
                }
                start = ThreadLocalRandom.current().nextInt(n);
                break;
            case UNIFORM_RANDOM:
                start = ThreadLocalRandom.current().nextInt(n);
                break;
            default: // ROUND_ROBIN
                start = (roundRobin.getAndIncrement() & Integer.MAX_VALUE) % n;
        }
        // the chosen connection is full (or matches nothing): take the next one with room
        for (int k = 0, i = start; k < n; k++) {
            Slot<C> slot = all[i];
            if (matches(slot, filter) && slot.tryClaim(maxCalls)) {
                return slot;
            }
            if (++i == n) {
                i = 0;
            }
        }
        return null;
    }

    private boolean matches(Slot<C> slot, Predicate<ConnectionInfo> filter) {
        return filter == null || UserCode.test(filter, info(slot), name);
    }

    /**
     * Final checks on a claimed slot before it is handed out: not past its lifetime, still alive if it
     * sat idle a while. Returns false, having destroyed the slot, when it fails them. A validation
     * waits at most {@code budgetNanos} (what is left of the caller's timeout): past that the caller
     * times out, and the connection is the validation's to return or close.
     */
    private boolean checkout(Slot<C> slot, long now, long budgetNanos, Predicate<ConnectionInfo> filter) {
        if (clockless) {
            // No lifetime: only drain() expires a slot, and it closes the idle ones itself; one it
            // raced with here was claimed while drain() ran, and is retired on its return.
            slot.useCount++;
            return true;
        }
        if (now - slot.expiresAt >= 0) {
            retireAndLeave(slot, slot.drained ? DestroyReason.DRAINED : DestroyReason.EXPIRED);
            return false;
        }
        if (validateAfterInactivityHot != Long.MAX_VALUE && (now - slot.lastUsedAt >= validateAfterInactivityHot
                && now - slot.lastValidatedAt >= validateAfterInactivityHot || slot.suspect)) {
            if (!validateForCheckout(slot, budgetNanos, filter)) {
                return false;
            }
        }
        if (maxCalls == 1) {
            slot.useCount++;
            if (tracksCheckouts) {
                trackCheckout(slot, now);
            }
        } else {
            slot.countUse(); // leak detection follows leases of exclusive pools only
        }
        return true;
    }

    /** What an exclusive checkout records beyond the time, when asked to: its start, a leak trace. */
    private void trackCheckout(Slot<C> slot, long now) {
        slot.acquiredAt = usageStart(slot, now);
        if (leakNanos > 0) {
            slot.trace = new Slot.LeakTrace(ticker.nanoTime(), Thread.currentThread().getName());
        }
    }

    /**
     * What a return records beyond the time, when asked to: the usage time for the listeners, the end
     * of the leak trace. True when the return must take the slow path (it was reported as a leak).
     */
    private boolean trackRelease(Slot<C> slot, long acquiredAt) {
        if (acquiredAt != UNTIMED) {
            listener.onReleased(ticker.nanoTime() - acquiredAt);
        }
        if (slot.leakReported) {
            return true;
        }
        if (leakNanos > 0) {
            slot.trace = null;
        }
        return false;
    }

    /**
     * The validation part of {@link #checkout}, out of line: that method is on the hot path and must
     * stay small enough for the JIT to inline it (and then remove the caller's lease).
     */
    private boolean validateForCheckout(Slot<C> slot, long budgetNanos, Predicate<ConnectionInfo> filter) {
        int verdict = validate(slot, budgetNanos);
        if (verdict == Validation.INVALID) {
            retireAndLeave(slot, DestroyReason.INVALID);
            return false;
        }
        if (verdict == Validation.ABANDONED) {
            throw timedOut(filter, Math.max(0, budgetNanos), " (what was left of the wait when validating connection "
                    + slot.id + " began; it took longer)", false);
        }
        validated(slot);
        return true;
    }

    private Slot<C> acquireSlow(long timeoutNanos, Predicate<ConnectionInfo> filter) {
        long start = System.nanoTime();
        long deadline = Saturating.deadline(start, timeoutNanos);
        for (;;) {
            if (lifecycle == CLOSED) {
                throw closedException();
            }
            if (lifecycle == RUNNING && (waiterCount() == 0 || !handOff)) {
                Slot<C> slot = claimIdle(filter);
                if (slot != null) {
                    if (checkout(slot, clock(), deadline - System.nanoTime(), filter)) {
                        listener.onAcquired(System.nanoTime() - start);
                        return slot;
                    }
                    continue;
                }
            }
            if (filter != null && !anyLiveMatch(filter)) {
                throw new NoMatchingConnectionException("Pool '" + name + "' has no connection matching the filter ("
                        + slotCount() + " live connections considered); a filter never causes a new connection");
            }
            if (filter == null && isFailingFast()) {
                throw connectionFailed(circuit.lastError());
            }
            Waiter<C> waiter = enqueue(filter);
            Slot<C> slot = await(waiter, start, deadline);
            if (checkout(slot, clock(), deadline - System.nanoTime(), filter)) {
                listener.onAcquired(System.nanoTime() - start);
                return slot;
            }
            // The slot we were given had expired or failed validation; try again with the time left.
        }
    }

    private Waiter<C> enqueue(Predicate<ConnectionInfo> filter) {
        int waiting = enterPending();
        if (waiting > config.maxPending()) {
            pendingCallers.decrementAndGet();
            PoolStats stats = stats();
            throw new PoolExhaustedException("Pool '" + name + "' exhausted: " + (waiting - 1)
                    + " callers already waiting, the limit (max-pending) is " + config.maxPending() + " "
                    + stateSummary(stats), stats, CredentialsMaskedException.mask(circuit.currentError()));
        }
        incrementWaiters();
        Waiter<C> waiter = new Waiter<>(filter);
        if (filter != null) {
            specialWaiters.incrementAndGet();
        }
        waiters.add(waiter);
        if (lifecycle == CLOSED) {
            // close() wrote the lifecycle, then failed the waiters it found; we queued, then read it
            fail(waiter, new PoolClosedException("Pool '" + name + "' was closed while waiting for a connection"));
            return waiter;
        }
        fillDemand();
        dispatch();
        return waiter;
    }

    /** Waits for the waiter's outcome; leaves {@code pendingCallers} lowered on every way out. */
    @SuppressWarnings("unchecked")
    private Slot<C> await(Waiter<C> waiter, long start, long deadline) {
        boolean pending = true;
        int attempts = 0;
        try {
            for (;;) {
                Object outcome = waiter.outcome;
                if (outcome instanceof Slot) {
                    if (handOff && System.nanoTime() - waiter.since < handOffAfterNanos) {
                        handOff = false; // served promptly: nobody is starving, let newcomers compete again
                    }
                    return (Slot<C>) outcome;
                }
                if (outcome instanceof RuntimeException) {
                    RuntimeException failure = (RuntimeException) outcome;
                    failure.fillInStackTrace(); // show the waiting caller, not the thread that failed it
                    throw failure;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    if (cancel(waiter)) {
                        // Counted while still pending: once nothing is pending a keyed pool may forget
                        // this engine and fold its figures into its totals, and a timeout counted after
                        // that would be lost (KeyedPoolChurnTest saw 34 timeouts reported for 35).
                        timeouts.incrementAndGet();
                        passHead();
                        pendingCallers.decrementAndGet();
                        pending = false; // the error message counts the others still waiting
                        throw timedOut(waiter.filter, System.nanoTime() - start, "", true);
                    }
                    continue; // decided while we gave up: take the outcome
                }
                // Clear `awake` before looking at the queue and the slots: a releaser (or a waiter
                // passing the first place on) changes those first, then reads `awake`, so one of us
                // sees the other, but for the rare miss of an unfenced release (HEAD_RECHECK_NANOS).
                waiter.awake = false;
                long park = remaining; // behind the first waiter: woken when served or first in line
                if (waiter.filter != null) {
                    // Only this caller runs its filter: it looks whenever woken, in either mode.
                    park = Math.min(remaining, FILTER_RECHECK_NANOS);
                    if (lifecycle == RUNNING) {
                        Slot<C> self = claimWithOwnFilter(waiter);
                        if (self != null) {
                            if (cancel(waiter)) {
                                passHead();
                                return self;
                            }
                            giveBack(self);
                            continue;
                        }
                    }
                } else if (firstWaiting() == waiter) {
                    park = Math.min(remaining, HEAD_RECHECK_NANOS); // woken when served; this bounds a missed wake-up
                    if (handOff) {
                        // A release that missed the queue left its connection idle, and only dispatch
                        // hands connections out in this mode (cheap when none is idle).
                        dispatch();
                    } else if (lifecycle == RUNNING) {
                        // Normal mode, first in line: compete for an idle connection.
                        Slot<C> self;
                        boolean servedSelf;
                        serving.begin();
                        try {
                            self = claimIdle(waiter.filter);
                            servedSelf = self != null && cancel(waiter);
                            if (self != null && !servedSelf) {
                                giveBack(self); // granted meanwhile: take the grant at the loop's top
                            }
                        } finally {
                            endServe();
                        }
                        if (servedSelf) {
                            passHead();
                            return self; // served itself; counted out of the queue by cancel()
                        }
                        if (self != null) {
                            continue;
                        }
                        long waited = System.nanoTime() - waiter.since;
                        if (waited >= handOffAfterNanos) {
                            handOff = true; // waited too long against newcomers: from now on, hand off
                            dispatch();
                            continue;
                        }
                        if (++attempts > 1) {
                            // Woken, then beaten to the connection by a newcomer: further wake-ups would
                            // mostly lose the same race, each a context switch that may preempt a
                            // holder. Releasers leave it be until hand-off is due (see wakeHead); it
                            // still looks on its own every HEAD_RECHECK_NANOS.
                            waiter.outraced = true;
                            park = Math.min(park, handOffAfterNanos - waited);
                        }
                    }
                }
                if (waiter.outcome == null) {
                    LockSupport.parkNanos(this, park);
                }
                waiter.awake = true;
                if (Thread.interrupted()) {
                    if (!cancel(waiter)) {
                        Object granted = waiter.outcome;
                        if (granted instanceof Slot) {
                            giveBack((Slot<C>) granted);
                        }
                    } else {
                        passHead();
                    }
                    Thread.currentThread().interrupt();
                    throw new PoolException("Interrupted while waiting for a connection from pool '" + name + "'",
                            new InterruptedException());
                }
            }
        } finally {
            if (pending) {
                pendingCallers.decrementAndGet();
            }
        }
    }

    /**
     * A waiting caller tests its own filter. If the filter throws, the caller leaves the queue (taking
     * a failure decided meanwhile into account) and gets the exception; nobody else sees it.
     */
    private Slot<C> claimWithOwnFilter(Waiter<C> waiter) {
        try {
            return claimIdle(waiter.filter);
        } catch (RuntimeException | Error e) {
            if (cancel(waiter)) {
                passHead();
            }
            throw e;
        }
    }

    private boolean cancel(Waiter<C> waiter) {
        if (waiter.cancel()) {
            leftQueue(waiter);
            waiters.remove(waiter);
            return true;
        }
        return false;
    }

    private void leftQueue(Waiter<C> waiter) {
        decrementWaiters();
        if (waiter.filter != null) {
            specialWaiters.decrementAndGet();
        } else if (shared != Capacity.UNSHARED && !hasDemand()) {
            shared.onDemandGone(this); // served, timed out, interrupted or failed: the last one of its key
        }
    }

    // Counts are lowered before the waiter is woken: once awake it may come straight back for more,
    // and must not find itself still counted as waiting.
    private boolean grant(Waiter<C> waiter, Slot<C> slot) {
        if (waiter.grant(slot)) {
            leftQueue(waiter);
            waiter.wake();
            return true;
        }
        return false;
    }

    private void fail(Waiter<C> waiter, RuntimeException failure) {
        if (waiter.fail(failure)) {
            leftQueue(waiter);
            waiters.remove(waiter);
            waiter.wake();
        }
    }

    /** Gives a claimed slot back to the pool without counting a use (a grant that found no taker). */
    private void giveBack(Slot<C> slot) {
        int left = slot.releaseCall(maxCalls);
        if (left < 0 || (left & Slot.RETIRING) != 0) {
            leftRetired(slot, left);
            return;
        }
        wentIdle(slot);
    }

    /**
     * Every way a slot becomes idle again, except the release fast path, ends here: the shared
     * capacity must hear of it (a keyed pool's other keys may be waiting for exactly this room).
     */
    private void wentIdle(Slot<C> slot) {
        shared.onReleased(this);
        afterRelease(slot);
    }

    /**
     * Hands idle connections to waiters without a filter, head first. Waiters with a filter are woken
     * to look for themselves (see {@link #wakeFiltered}): this thread never runs their filter.
     */
    private void dispatch() {
        if (specialWaiters.get() > 0 && anyIdle()) {
            wakeFiltered();
        }
        while (waiterCount() != 0 && lifecycle == RUNNING) {
            boolean served = false;
            for (Iterator<Waiter<C>> it = waiters.iterator(); it.hasNext(); ) {
                Waiter<C> waiter = it.next();
                if (!waiter.isWaiting()) {
                    it.remove();
                    continue;
                }
                if (waiter.filter != null) {
                    continue;
                }
                serving.begin();
                try {
                    Slot<C> slot = claimIdle(null);
                    if (slot == null) {
                        return; // nothing idle at all
                    }
                    if (grant(waiter, slot)) {
                        it.remove();
                    } else {
                        int left = slot.releaseCall(maxCalls);
                        if (left < 0 || (left & Slot.RETIRING) != 0) {
                            leftRetired(slot, left);
                        } else {
                            shared.onReleased(this);
                        }
                    }
                } finally {
                    endServe();
                }
                served = true;
                break; // start again from the head: first come, first served
            }
            if (!served) {
                return;
            }
        }
    }

    private void releaseSlow(Slot<C> slot, long now) {
        reportLateReturn(slot);
        DestroyReason retire = lifecycle == CLOSED ? DestroyReason.POOL_CLOSED
                : now - slot.expiresAt >= 0 ? (slot.drained ? DestroyReason.DRAINED : DestroyReason.EXPIRED)
                : allocated() - closesRunning.get() > maxSize ? DestroyReason.SHRUNK : null; // closing ones are gone already
        if (retire == null && maxCalls == 1) {
            if (waiterCount() == 0 && countIdle() >= config.maxIdle()) {
                retire = DestroyReason.IDLE;
            } else if (shared.isWanted() && (waiterCount() == 0 || shared.shouldYield(this, allocated()))) {
                retire = DestroyReason.EVICTED; // another destination waits for the room
            }
        }
        if (retire != null) {
            retireAndLeave(slot, retire);
            return;
        }
        int left = slot.releaseCall(maxCalls);
        if (left < 0 || (left & Slot.RETIRING) != 0) {
            leftRetired(slot, left);
            return;
        }
        wentIdle(slot);
    }

    private void reportLateReturn(Slot<C> slot) {
        Slot.LeakTrace trace = slot.trace;
        slot.trace = null;
        if (slot.leakReported) {
            slot.leakReported = false;
            log.info("Connection {} of pool '{}' reported as a possible leak came back after {} ms: a slow holder, not a leak",
                    slot.id, name, trace == null ? "?" : Duration.ofNanos(ticker.nanoTime() - trace.acquiredAt).toMillis());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Callbacks and batches
    // ------------------------------------------------------------------------------------------------

    public <T> T withConnection(long timeoutNanos, Predicate<ConnectionInfo> filter, ConnectionCallback<C, T> callback) {
        requireArgument(callback, "callback");
        Slot<C> slot = filter == null ? acquire(timeoutNanos) : acquire(timeoutNanos, filter);
        long acquiredAt = callStart(slot);
        T result;
        try {
            result = callback.doWithConnection(slot.connection);
        } catch (Throwable e) {
            completeFailed(slot, acquiredAt, e);
            throw rethrow(slot, e);
        }
        completeOk(slot, acquiredAt);
        return result;
    }

    public <M, R> List<R> sendBatch(long timeoutNanos, List<M> messages, BatchFunction<C, M, R> function) {
        requireArgument(messages, "messages");
        requireArgument(function, "function");
        List<R> results = new ArrayList<>(messages.size());
        if (messages.isEmpty()) {
            return results;
        }
        Slot<C> slot = acquire(timeoutNanos);
        long acquiredAt = callStart(slot);
        for (int i = 0; i < messages.size(); i++) {
            try {
                results.add(function.apply(slot.connection, messages.get(i)));
            } catch (Throwable e) {
                completeFailed(slot, acquiredAt, e);
                if (e instanceof Error) {
                    throw (Error) e; // as withConnection does: the connection is accounted for
                }
                throw new CallbackException("Batch on pool '" + name + "' stopped at message " + i + " of "
                        + messages.size() + " (" + i + " sent): " + CredentialsMaskedException.describe(e), e, i);
            }
            if (i < messages.size() - 1) {
                successfulOps.increment();
                listener.onOperation(true);
            }
        }
        completeOk(slot, acquiredAt);
        return results;
    }

    public <M, R> BatchResult<R> sendBatchParallel(long timeoutNanos, List<M> messages, BatchFunction<C, M, R> function,
                                                   Executor executor) {
        requireArgument(messages, "messages");
        requireArgument(function, "function");
        int n = messages.size();
        Object[] results = new Object[n];
        Throwable[] errors = new Throwable[n];
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            int i;
            while ((i = next.getAndIncrement()) < n) {
                M message = messages.get(i);
                try {
                    results[i] = withConnection(timeoutNanos, null, c -> function.apply(c, message));
                } catch (CallbackException e) {
                    errors[i] = e.getCause();
                } catch (Throwable e) {
                    errors[i] = e;
                }
            }
        };
        int helpers = Math.max(0, Math.min(n, maxSize) - 1);
        HelperGate gate = new HelperGate();
        Executor pool = executor != null ? executor : Background.WORKERS;
        Runnable helper = () -> {
            if (gate.enter()) {
                try {
                    worker.run();
                } finally {
                    gate.leave();
                }
            }
        };
        for (int h = 0; h < helpers; h++) {
            if (!UserCode.execute(pool, helper, name)) {
                break; // the caller's thread does the work instead
            }
        }
        worker.run();
        gate.closeAndAwait();
        List<R> successful = new ArrayList<>(n);
        List<BatchFailure> failed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (errors[i] != null) {
                failed.add(new BatchFailure(i, errors[i]));
            } else {
                @SuppressWarnings("unchecked")
                R r = (R) results[i];
                successful.add(r);
            }
        }
        return new BatchResult<>(successful, failed);
    }

    /**
     * The helpers of one parallel batch. The caller works through the messages itself, then waits only
     * for helpers that started: one that an executor runs late (or never) finds the gate closed and
     * does nothing, so no executor can hold the caller or see a half-read result.
     */
    private static final class HelperGate {
        private int running;
        private boolean closed;

        synchronized boolean enter() {
            if (closed) {
                return false;
            }
            running++;
            return true;
        }

        synchronized void leave() {
            if (--running == 0) {
                notifyAll();
            }
        }

        /** Closes the gate and waits for the helpers inside; an interrupt is kept, not acted on. */
        synchronized void closeAndAwait() {
            closed = true;
            boolean interrupted = false;
            while (running > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The user's handle on a checked-out slot: one new, small object per checkout (see PooledLease). */
    public Lease<C> lease(Slot<C> slot) {
        return maxCalls == 1 ? new PooledLease.Exclusive<>(slot) : new PooledLease.Call<>(slot, callStart(slot));
    }

    /**
     * When the call on {@code slot} began: an exclusive slot keeps it (it has one holder); a shared one
     * cannot, so the call keeps its own.
     */
    public long callStart(Slot<C> slot) {
        if (maxCalls == 1) {
            return slot.acquiredAt;
        }
        return usageStart(slot, clock());
    }

    private void completeOk(Slot<C> slot, long acquiredAt) {
        successfulOps.increment();
        listener.onOperation(true);
        release(slot, acquiredAt);
    }

    private void completeFailed(Slot<C> slot, long acquiredAt, Throwable error) {
        failedOps.increment();
        listener.onOperation(false);
        if (isBroken(error)) {
            invalidate(slot, acquiredAt);
        } else {
            release(slot, acquiredAt);
        }
    }

    private boolean isBroken(Throwable error) {
        return UserCode.isBroken(config.brokenWhen(), error, name);
    }

    private RuntimeException rethrow(Slot<C> slot, Throwable e) {
        if (e instanceof RuntimeException) {
            return (RuntimeException) e;
        }
        if (e instanceof Error) {
            throw (Error) e;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt(); // wrapped, not swallowed: the caller's thread stays interrupted
        }
        return new CallbackException("Callback on connection " + slot.id + " of pool '" + name + "' failed: "
                + CredentialsMaskedException.describe(e), e, -1);
    }

    // ------------------------------------------------------------------------------------------------
    // Creation and destruction
    // ------------------------------------------------------------------------------------------------

    /**
     * Starts as many dials as the demand needs: one per plain waiter and enough to reach
     * {@code minIdle}, minus the dials already running, at most {@code maxConnecting} at once.
     *
     * <p>One thread fills at a time; a call made meanwhile makes it look once more instead. A fill
     * holds a unit of this engine's own room while it asks the shared capacity for one, and that ask
     * may run this engine's fill again: a keyed pool hands room it finds free to the first key queued
     * for it, which may be this one, on this thread or another. That fill, finding the engine at its
     * own cap, gave up, and then the first gave its unit back and returned: the key had left the queue
     * for room and nothing dialed for its caller (a keyed churn test timed out every run). Now the
     * second fill is the first one's next pass, run once the unit is back.
     */
    void fillDemand() {
        if (fillRequests.getAndIncrement() != 0) {
            return; // the thread filling now passes once more for us
        }
        int requests = 1;
        try {
            do {
                fillOnce();
                requests = fillRequests.addAndGet(-requests);
            } while (requests != 0);
        } catch (Throwable e) {
            fillRequests.set(0); // never leave the engine unable to dial (an OutOfMemoryError, say)
            throw e;
        }
    }

    private void fillOnce() {
        while (lifecycle == RUNNING) {
            int dialing = creating.get();
            int live = allocated() - dialing;
            int plainWaiters = unservedWaiters();
            int warm = minIdleSuspended ? 0 : Math.min(config.minIdle(), maxSize);
            int wanted = Math.max(plainWaiters, warm - live) - dialing;
            if (wanted <= 0 || dialing >= config.maxConnecting() || !reserveCapacity()) {
                return;
            }
            if (!circuit.tryStartCreation(ticker.nanoTime())) {
                freeCapacity();
                scheduleRetry();
                return;
            }
            creating.incrementAndGet();
            try {
                Background.execute(this::create);
            } catch (RuntimeException e) { // the last pool closed under us
                creating.decrementAndGet();
                freeCapacity();
                return;
            }
        }
    }

    /**
     * Plain waiters that no live connection can serve now: those a dial is for. A waiter being handed
     * a connection may be counted both as waiting and through the connection it claimed; such a fill
     * counts low instead, and runs again once the serve is over (see {@link Serving}).
     */
    private int unservedWaiters() {
        for (;;) {
            int mark = serving.mark();
            int waiting = waiterCount() - specialWaiters.get();
            if (waiting <= 0) {
                return waiting;
            }
            waiting -= countRoom(); // about to be served by an idle connection, not by a dial
            int overlapping = serving.overlapping(mark);
            if (overlapping == 0 || waiting <= 0) {
                return waiting;
            }
            // At its cap the engine dials nothing anyway, and whatever frees room runs the fill again.
            if (allocated() >= maxSize || !serving.askRefill(mark, overlapping)) {
                return waiting - overlapping;
            }
        }
    }

    /** Ends a serve begun with {@code serving.begin()}; runs the fill a serve it overlapped asked for. */
    private void endServe() {
        if (serving.end()) {
            fillDemand();
        }
    }

    private boolean reserveCapacity() {
        for (;;) {
            int current = allocated();
            if (current >= maxSize) {
                return false;
            }
            if (casAllocated(current, current + 1)) {
                if (shared.tryReserve(this)) {
                    return true;
                }
                decrementAllocated(); // our own unit only: the shared one was not taken
                return false;
            }
        }
    }

    /** Gives back a unit of room reserved with {@link #reserveCapacity()}. */
    private void freeCapacity() {
        decrementAllocated();
        shared.free(this);
    }

    /** Dials one connection on a worker thread; capacity was reserved by the caller. */
    private void create() {
        Slot<C> slot;
        try {
            slot = dialReserved();
        } catch (Throwable e) {
            return; // recorded, and the waiters told, by dialReserved
        }
        if (slot.unreserve()) {
            wentIdle(slot);
        }
        // Only now: until the new connection has been offered to the waiters, fillDemand must still
        // count it as coming, or it would dial a second one for the same waiter.
        creating.decrementAndGet();
        fillDemand();
    }

    /**
     * Dials with one unit of capacity reserved and counted in {@code creating}. On success returns the
     * registered slot, still RESERVED, with {@code creating} not yet lowered. On failure gives the
     * capacity back, records the failure (circuit, waiters, stats) and rethrows it.
     */
    private Slot<C> dialReserved() throws Throwable {
        long started = ticker.nanoTime();
        C connection;
        try {
            connection = UserCode.connect(factory);
        } catch (Throwable e) {
            creating.decrementAndGet();
            freeCapacity();
            creationFailed(e, started);
            throw e;
        }
        return register(connection, started);
    }

    /** Adds a freshly dialed connection to the pool, in the RESERVED state (its creator holds it). */
    private Slot<C> register(C connection, long started) {
        long now = ticker.nanoTime();
        Slot<C> slot = new Slot<>(this, ids.incrementAndGet(), connection, now, lifetimeDeadline(now), config.tags());
        synchronized (structureLock) {
            Slot<C>[] current = slots;
            Slot<C>[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = slot;
            slots = grown;
        }
        created.incrementAndGet();
        CircuitState before = circuit.onSuccess();
        if (before != CircuitState.CLOSED) {
            minIdleSuspended = false;
            log.info("Pool '{}' connected again after failed attempts", name);
            listener.onCircuitStateChanged(before, CircuitState.CLOSED, null);
        }
        log.debug("Opened connection {} of pool '{}'", slot.id, name);
        listener.onConnectionCreated(info(slot), now - started);
        return slot;
    }

    private long lifetimeDeadline(long now) {
        long lifetime = config.maxLifetimeNanos();
        if (lifetime <= 0) {
            return UNLIMITED; // absolute: never reached by the monotonic clock, nor by a clockless pool's 0
        }
        // Up to 2.5 % earlier, so that connections opened together do not all expire together.
        long variance = lifetime / 40;
        return now + lifetime - (variance > 0 ? ThreadLocalRandom.current().nextLong(variance) : 0);
    }

    private void creationFailed(Throwable error, long started) {
        createFailures.incrementAndGet();
        long now = ticker.nanoTime();
        CircuitState before = circuit.onFailure(error, now);
        listener.onConnectionFailed(error, now - started);
        long retryMillis = Duration.ofNanos(circuit.nanosUntilRetry(now)).toMillis();
        if (before == CircuitState.CLOSED) {
            log.warn("Pool '{}' could not open a connection; no new connection is attempted for {} ms", name, retryMillis,
                    CredentialsMaskedException.mask(error));
        } else {
            log.warn("Pool '{}' still cannot open a connection ({} consecutive failures): {}; next attempt in {} ms",
                    name, circuit.consecutiveFailures(), CredentialsMaskedException.describe(error), retryMillis);
        }
        if (before != CircuitState.OPEN) {
            listener.onCircuitStateChanged(before, CircuitState.OPEN, error);
        }
        if (!config.revive()) {
            minIdleSuspended = true;
        }
        // Waiters that were counting on a new connection would wait for nothing: fail them now.
        if (allocated() < maxSize) {
            for (Waiter<C> waiter : waiters) {
                if (waiter.filter == null) {
                    fail(waiter, connectionFailed(error));
                }
            }
        }
        scheduleRetry();
    }

    /** With revive on, dials again by itself when the back-off ends, so the pool heals without callers. */
    private void scheduleRetry() {
        if (!config.revive() || lifecycle != RUNNING || circuit.state() != CircuitState.OPEN) {
            return; // half-open: the probe's outcome schedules what comes next
        }
        synchronized (structureLock) {
            if (retryTask != null) {
                retryTask.cancel(false); // superseded: the circuit's new retry time is what counts
            }
            try {
                retryTask = Background.schedule(this::fillDemand, Math.max(1, circuit.nanosUntilRetry(ticker.nanoTime())));
            } catch (RuntimeException e) {
                // the background threads stopped: the pool is closing
            }
        }
    }

    /**
     * Takes a slot the caller holds (claimed or reserved) out of the pool and closes its connection.
     * {@code freeCapacity} is false when the caller reuses the room for a new dial.
     */
    private void destroy(Slot<C> slot, DestroyReason reason, boolean freeCapacity) {
        destroy(slot, reason, freeCapacity, false);
    }

    /**
     * Takes out a connection its holder is done with (returned expired, broken, surplus; invalidated;
     * a shared one's last call ended) and has it closed on a worker thread: a close that hangs must
     * not hold the caller's {@code close()} or {@code invalidate()}. Its room is freed when the close
     * returns, as always.
     */
    private void destroyForHolder(Slot<C> slot, DestroyReason reason) {
        destroy(slot, reason, true, true);
    }

    private void destroy(Slot<C> slot, DestroyReason reason, boolean freeCapacity, boolean closeInBackground) {
        int state = slot.state;
        if (state == Slot.REMOVED || !slot.cas(state, Slot.REMOVED)) {
            return; // already taken out, by close(grace) for instance
        }
        if (!slot.markDestroyed()) {
            // close(grace) closed it under its holder, whose unfenced release then wrote it idle
            // again (see release): it is out of the pool again, and closed and counted once
            return;
        }
        forget(slot);
        destroyed.incrementAndGet();
        // Close before freeing the room (Closing frees it): a dial that the room allows must never
        // overlap this connection, or the server would briefly see more than maxSize connections.
        // Pool-driven removals (housekeeping, drain, evictIdle, resize, making room for a dial) close
        // on the thread doing them, so that what they report is done when they return; a holder's
        // connection, and every close once the pool is closed, goes to a worker (unless this is one),
        // so that neither a caller nor close(grace) waits on a close that hangs. (Having every destroyer wait for a
        // worker's close made KeyedPoolTest's 16-thread stress 7 s -> 42 s.)
        if (!config.revive() && (reason == DestroyReason.EXPIRED || reason == DestroyReason.DRAINED)) {
            minIdleSuspended = true; // revive off: the pool refills only when callers ask
        }
        Closing closing = new Closing(slot, reason, freeCapacity);
        if ((closeInBackground || lifecycle == CLOSED) && !Background.onPoolThread()) {
            closing.start();
        } else {
            closing.run(); // a pool thread holds no caller: no second hand-off
        }
        listener.onConnectionDestroyed(info(slot), reason);
        if (reason == DestroyReason.BROKEN || reason == DestroyReason.INVALID) {
            suspectSiblings();
        }
        if (lifecycle == CLOSED) {
            synchronized (closeErrors) {
                closeErrors.notifyAll();
            }
        }
    }

    private void suspectSiblings() {
        if (!config.revive()) {
            minIdleSuspended = true;
        }
        if (lifecycle == CLOSED) {
            return;
        }
        // A connection found broken means its siblings probably are too (the server restarted, a
        // firewall dropped the flows): each is validated before its next use, whatever its idle
        // time, and a sweep checks the idle ones now. A flag on the slot, not an instant the checkout
        // compares its last validation with: the checkout reads it on the line of the state word.
        for (Slot<C> slot : slots) {
            slot.suspect = true;
        }
        scheduledHousekeeping(); // sweep the idle ones now, not at the next tick
    }

    /** A validation passed: trusted for validateAfterInactivity from now, no longer suspect. */
    private void validated(Slot<C> slot) {
        slot.lastValidatedAt = ticker.nanoTime();
        slot.suspect = false;
    }

    /**
     * The close of one connection. It frees the connection's room (when asked to) once the close
     * returned, so that no dial overlaps it: a close that hangs keeps its room until it returns. Run
     * by the thread taking the connection out, or on a worker (see {@link #destroy}), where
     * {@link #close(long)} waits for it within its grace and no longer.
     */
    private final class Closing implements Runnable {
        private final Slot<C> slot;
        private final DestroyReason reason;
        private final boolean freeCapacity;

        Closing(Slot<C> slot, DestroyReason reason, boolean freeCapacity) {
            this.slot = slot;
            this.reason = reason;
            this.freeCapacity = freeCapacity;
            closesRunning.incrementAndGet();
        }

        /** Runs on a worker (on this thread once the background threads have stopped). */
        void start() {
            try {
                Background.execute(this);
            } catch (RuntimeException e) {
                run();
            }
        }

        @Override
        public void run() {
            Throwable error = UserCode.close(factory, slot.connection);
            if (error == null) {
                log.debug("Closed connection {} of pool '{}' ({})", slot.id, name, reason);
            } else if (lifecycle != CLOSED) {
                log.warn("Closing connection {} of pool '{}' ({}) failed", slot.id, name, reason,
                        CredentialsMaskedException.mask(error));
            }
            if (freeCapacity) {
                freeCapacity();
                fillDemand(); // the room may be what a waiter, or min-idle, waits for
            }
            synchronized (closeErrors) {
                if (error != null && lifecycle == CLOSED) {
                    closeErrors.add(error);
                }
                closesRunning.decrementAndGet();
                closeErrors.notifyAll();
            }
        }
    }

    /**
     * Validates a slot its caller holds, on a worker thread, waiting at most {@code validationTimeout}
     * and {@code budgetNanos}: {@link Validation#VALID}, {@link Validation#INVALID} (the caller takes
     * the slot out) or {@link Validation#ABANDONED} (the caller's budget ran out first: the slot now
     * belongs to the validation, which returns it to the pool or closes it when it ends).
     */
    private int validate(Slot<C> slot, long budgetNanos) {
        Validation validation = new Validation(slot);
        try {
            Background.execute(validation);
        } catch (RuntimeException e) {
            return Validation.INVALID; // the background threads stopped: the pool is closing
        }
        return validation.await(budgetNanos);
    }

    /**
     * One validation run on a worker, so that whoever waits for it can stop waiting. Its state word is
     * decided once: by the worker (the outcome, for a waiter still waiting), by the waiter (it gave up),
     * or by the timer of an abandoned validation. Whoever decides it owns the slot's fate.
     */
    @SuppressWarnings("serial")
    private final class Validation extends AtomicInteger implements Runnable {
        static final int RUNNING = 0;
        static final int VALID = 1;
        static final int INVALID = 2;
        /** The waiter's budget ran out: the worker returns the slot to the pool or closes it. */
        static final int ABANDONED = 3;
        /** Past validationTimeout: the connection counts as invalid and is closed by who said so. */
        static final int TIMED_OUT = 4;

        private final Slot<C> slot;
        private final Thread waiter = Thread.currentThread();
        private final long started = System.nanoTime();

        Validation(Slot<C> slot) {
            this.slot = slot;
        }

        @Override
        public void run() {
            if (get() == TIMED_OUT) {
                return; // given up before it started (a tiny validationTimeout): its connection is closed
            }
            int outcome = UserCode.isValid(factory, slot.connection, name, slot.id) ? VALID : INVALID;
            if (compareAndSet(RUNNING, outcome)) {
                LockSupport.unpark(waiter);
            } else if (compareAndSet(ABANDONED, outcome)) {
                if (outcome == VALID) {
                    validated(slot);
                    giveBack(slot);
                } else {
                    retireAndLeave(slot, DestroyReason.INVALID);
                }
            }
        }

        /** Waits for the outcome; an interrupt does not cut the wait short and is kept for the caller. */
        int await(long budgetNanos) {
            long bound = config.validationTimeoutNanos();
            boolean byBudget = budgetNanos < bound;
            long deadline = started + Math.max(0, Math.min(bound, budgetNanos));
            boolean interrupted = false;
            int outcome;
            while ((outcome = get()) == RUNNING) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    outcome = byBudget ? giveUp() : timeOut();
                    break;
                }
                LockSupport.parkNanos(this, left);
                interrupted |= Thread.interrupted();
            }
            if (interrupted && !Background.onPoolThread()) {
                Thread.currentThread().interrupt();
            }
            return outcome;
        }

        private int timeOut() {
            if (!compareAndSet(RUNNING, TIMED_OUT)) {
                return get(); // it ended meanwhile
            }
            log.warn("Validation of connection {} of pool '{}' did not return within {} ms (validation-timeout); "
                    + "the connection is closed", slot.id, name, Duration.ofNanos(config.validationTimeoutNanos()).toMillis());
            return INVALID;
        }

        private int giveUp() {
            if (!compareAndSet(RUNNING, ABANDONED)) {
                return get();
            }
            long left = config.validationTimeoutNanos() - (System.nanoTime() - started);
            try {
                Background.schedule(() -> {
                    if (compareAndSet(ABANDONED, TIMED_OUT)) {
                        log.warn("Validation of connection {} of pool '{}' did not return within {} ms "
                                + "(validation-timeout); the connection is closed", slot.id, name,
                                Duration.ofNanos(config.validationTimeoutNanos()).toMillis());
                        retireAndLeave(slot, DestroyReason.INVALID);
                    }
                }, Math.max(1, left));
            } catch (RuntimeException e) {
                if (compareAndSet(ABANDONED, TIMED_OUT)) { // the pool is closing: no timer, close it now
                    retireAndLeave(slot, DestroyReason.INVALID);
                }
            }
            return ABANDONED;
        }
    }

    /**
     * Drops a REMOVED slot from the array. Removed slots are skipped by every scan, so the array is
     * rebuilt only once they make up a quarter of it (or 8, in a small pool): when many connections
     * die at once (a server crash), each removal costs O(1) amortized instead of a copy of the whole
     * array, and the number of rebuilds grows with the logarithm of the removals.
     */
    private void forget(Slot<C> slot) {
        synchronized (structureLock) {
            for (int b = 0; b < homes.length; b++) {
                if (homes[b] == slot) {
                    homes[b] = null;
                }
            }
            removedInArray++;
            Slot<C>[] current = slots;
            if (removedInArray < Math.max(8, current.length / 4) && removedInArray < current.length) {
                return;
            }
            // Count, don't trust removedInArray: a slot another thread is removing right now is
            // left out here already, and its own forget() will count it once more.
            Slot<C>[] live = Arrays.copyOf(current, current.length);
            int n = 0;
            for (Slot<C> s : current) {
                if (s.state != Slot.REMOVED) {
                    live[n++] = s;
                }
            }
            slots = Arrays.copyOf(live, n);
            removedInArray = 0;
            arrayRebuilds++;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // acquireFresh: always a newly dialed connection
    // ------------------------------------------------------------------------------------------------

    /**
     * Dials a new connection for the caller, on the caller's thread. Room comes from free capacity,
     * else from closing the least recently used idle connection, else from the next connection
     * returned (taken in FIFO order like any acquisition, then replaced unless it was dialed after
     * this call began).
     */
    public Slot<C> acquireFresh(long timeoutNanos) {
        long startTick = ticker.nanoTime();
        long start = System.nanoTime();
        if (lifecycle == CLOSED) {
            throw closedException();
        }
        if (lifecycle != RUNNING || !reserveCapacity() && !evictLeastRecentlyUsed(false)) {
            Slot<C> slot = acquire(timeoutNanos);
            if (slot.useCount == 1 && slot.createdAt - startTick >= 0) {
                return slot; // dialed after we asked: as fresh as it gets
            }
            destroy(slot, DestroyReason.EVICTED, false);
        }
        // We hold one unit of capacity now.
        if (!circuit.tryStartCreation(ticker.nanoTime())) {
            freeCapacity();
            fillDemand();
            throw connectionFailed(circuit.lastError());
        }
        creating.incrementAndGet();
        Slot<C> slot;
        try {
            slot = dialReserved();
        } catch (Throwable e) {
            throw connectionFailed(e); // an Error from the factory too: it is the dial's failure, with it as cause
        }
        creating.decrementAndGet();
        if (!slot.cas(Slot.RESERVED, 1)) {
            throw closedException(); // close(grace) took it out while we dialed
        }
        if (lifecycle == CLOSED) {
            destroy(slot, DestroyReason.POOL_CLOSED, true);
            throw closedException();
        }
        if (!checkout(slot, ticker.nanoTime(), timeoutNanos - (System.nanoTime() - start), null)) {
            throw new ConnectionFailedException("Pool '" + name + "' opened a connection that failed validation at once", null);
        }
        listener.onAcquired(System.nanoTime() - start);
        return slot;
    }

    /**
     * Closes the idle connection unused the longest (in a pool that keeps no time, the oldest): to make
     * room for a fresh dial here (keeping its capacity, {@code freeCapacity} false) or for another key
     * of a keyed pool (freeing it).
     */
    boolean evictLeastRecentlyUsed(boolean freeCapacity) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Slot<C> oldest = null;
            for (Slot<C> slot : slots) {
                if (slot.state == Slot.IDLE && (oldest == null || slot.lastUsedAt - oldest.lastUsedAt < 0)) {
                    oldest = slot;
                }
            }
            if (oldest == null) {
                return false;
            }
            if (oldest.tryReserve()) {
                destroy(oldest, DestroyReason.EVICTED, freeCapacity);
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------
    // Housekeeping: lifetimes, idle timeout, keepalive, leak detection, minIdle
    // ------------------------------------------------------------------------------------------------

    static long housekeepingPeriod(PoolConfig config) {
        long period = MAX_HOUSEKEEPING_NANOS;
        for (long setting : new long[] {config.idleTimeoutNanos(), config.keepaliveNanos(),
                config.leakDetectionNanos(), config.maxLifetimeNanos()}) {
            if (setting > 0) {
                period = Math.min(period, setting / 2);
            }
        }
        return Math.max(MIN_HOUSEKEEPING_NANOS, period);
    }

    /**
     * Asks for a housekeeping pass on a worker thread. A request made while a pass runs is never
     * dropped: that pass may have looked at the slots before the reason for the request (a broken
     * sibling) existed, so it runs once more. (The requester raises the flag, then tries the lock;
     * the running pass releases the lock, then reads the flag: one of the two sees the other.)
     */
    private void scheduledHousekeeping() {
        if (lifecycle == CLOSED) {
            return;
        }
        housekeepingRequested = true;
        try {
            // Keepalive and closing may block on the network: never on the scheduler thread.
            Background.execute(() -> {
                while (housekeepingRequested && lifecycle != CLOSED) {
                    if (!housekeepingLock.tryLock()) {
                        return; // the pass running now will see the request when it ends
                    }
                    try {
                        housekeepingRequested = false;
                        housekeep();
                    } finally {
                        housekeepingLock.unlock();
                    }
                }
            });
        } catch (RuntimeException e) {
            // the background threads stopped: the pool is closing
        }
    }

    /**
     * One pass of housekeeping, run every few seconds in the background (and by tests, with a
     * hand-driven ticker): retires idle connections past their lifetime or idle timeout, validates
     * long-idle ones when keepalive is on, reports leaks, and tops the pool up to {@code minIdle}.
     */
    public void runHousekeeping() {
        housekeepingLock.lock();
        try {
            housekeepingRequested = false;
            housekeep();
        } finally {
            housekeepingLock.unlock();
        }
        if (housekeepingRequested) {
            scheduledHousekeeping(); // asked for while this pass held the lock
        }
    }

    private void housekeep() {
        if (lifecycle == CLOSED) {
            return;
        }
        long now = ticker.nanoTime();
        int live = slotCount();
        int floor = Math.min(config.minIdle(), maxSize);
        int idle = 0;
        for (Slot<C> slot : leastRecentlyUsedFirst()) {
            int state = slot.state;
            if (state > 0) {
                detectLeak(slot, now);
                if (maxCalls > 1 && (state & Slot.RETIRING) == 0 && now - slot.expiresAt >= 0) {
                    retire(slot, slot.drained ? DestroyReason.DRAINED : DestroyReason.EXPIRED); // TTL: no new calls
                }
                continue;
            }
            if (state != Slot.IDLE) {
                continue;
            }
            DestroyReason retire = null;
            if (now - slot.expiresAt >= 0) {
                retire = slot.drained ? DestroyReason.DRAINED : DestroyReason.EXPIRED;
            } else if (config.idleTimeoutNanos() > 0 && now - slot.lastUsedAt >= config.idleTimeoutNanos() && live > floor) {
                retire = DestroyReason.IDLE;
            } else if (!slot.suspect && (config.keepaliveNanos() <= 0
                    || now - Math.max(slot.lastUsedAt, slot.lastValidatedAt) < config.keepaliveNanos())) {
                idle++;
                continue;
            }
            if (!slot.tryReserve()) {
                continue; // taken by a caller meanwhile: it is in use, not idle
            }
            if (retire == null && keepAlive(slot, now)) {
                idle++;
                if (slot.unreserve()) {
                    wentIdle(slot);
                }
                continue;
            }
            destroy(slot, retire == null ? DestroyReason.INVALID : retire, true);
            live--;
        }
        if (idle > config.maxIdle()) {
            trimIdle(idle - config.maxIdle());
        }
        dispatch();
        fillDemand();
    }

    /** The slots ordered by when they were last returned, oldest first, on a snapshot of those times. */
    private List<Slot<C>> leastRecentlyUsedFirst() {
        Slot<C>[] all = slots;
        long[][] order = new long[all.length][2];
        for (int i = 0; i < all.length; i++) {
            order[i][0] = all[i].lastUsedAt - baseNanos;
            order[i][1] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(a[0], b[0]));
        List<Slot<C>> sorted = new ArrayList<>(all.length);
        for (long[] entry : order) {
            sorted.add(all[(int) entry[1]]);
        }
        return sorted;
    }

    private boolean keepAlive(Slot<C> slot, long now) {
        if (validate(slot, Long.MAX_VALUE) == Validation.VALID) {
            validated(slot);
            return true;
        }
        log.debug("Keepalive found connection {} of pool '{}' dead", slot.id, name);
        return false;
    }

    private void trimIdle(int surplus) {
        for (Slot<C> slot : leastRecentlyUsedFirst()) {
            if (surplus == 0) {
                return;
            }
            if (slot.tryReserve()) {
                destroy(slot, DestroyReason.IDLE, true);
                surplus--;
            }
        }
    }

    private void detectLeak(Slot<C> slot, long now) {
        Slot.LeakTrace trace = slot.trace;
        if (leakNanos <= 0 || trace == null || slot.leakReported || now - trace.acquiredAt < leakNanos) {
            return;
        }
        slot.leakReported = true;
        leaks.incrementAndGet();
        long held = now - trace.acquiredAt;
        log.warn("Possible leak: connection {} of pool '{}' has been held for {} ms by thread '{}' "
                        + "(leak-detection-threshold {} ms); it was acquired here:", slot.id, name,
                Duration.ofNanos(held).toMillis(), trace.thread, Duration.ofNanos(leakNanos).toMillis(), trace);
        listener.onLeakSuspected(info(slot), held);
    }

    // ------------------------------------------------------------------------------------------------
    // Managing the pool
    // ------------------------------------------------------------------------------------------------

    public int evictIdle() {
        int evicted = 0;
        for (Slot<C> slot : slots) {
            if (slot.tryReserve()) {
                destroy(slot, DestroyReason.EVICTED, true);
                evicted++;
            }
        }
        fillDemand();
        return evicted;
    }

    public void drain() {
        long now = ticker.nanoTime();
        for (Slot<C> slot : slots) {
            slot.drained = true;
            slot.expiresAt = DRAINED; // expired whatever clock reads it, even a clockless pool's 0
        }
        for (Slot<C> slot : slots) {
            if (slot.tryReserve()) {
                destroy(slot, DestroyReason.DRAINED, true);
            }
        }
        fillDemand();
    }

    public void resize(int newMaxSize) {
        if (newMaxSize < 1) {
            throw new InvalidConfigException("maxSize", newMaxSize, "at least 1");
        }
        maxSize = newMaxSize;
        releaseCheckAbove = Math.min(newMaxSize, config.maxIdle());
        for (Slot<C> slot : slots) {
            if (allocated() <= newMaxSize) {
                break;
            }
            if (slot.tryReserve()) {
                destroy(slot, DestroyReason.SHRUNK, true);
            }
        }
        log.info("Pool '{}' resized to max-size {}", name, newMaxSize);
        fillDemand();
        dispatch();
    }

    public void pause() {
        synchronized (structureLock) {
            if (lifecycle == RUNNING) {
                lifecycle = PAUSED;
                log.info("Pool '{}' paused: callers wait until it is resumed", name);
            }
        }
    }

    public void resume() {
        synchronized (structureLock) {
            if (lifecycle != PAUSED) {
                return;
            }
            lifecycle = RUNNING;
        }
        log.info("Pool '{}' resumed", name);
        fillDemand();
        dispatch();
    }

    public boolean isPaused() {
        return lifecycle == PAUSED;
    }

    public boolean isClosed() {
        return lifecycle == CLOSED;
    }

    /**
     * Closes the pool; connections are closed on worker threads. {@code graceNanos < 0}: in-use
     * connections are closed when returned, whenever that is, and idle ones now, waiting up to
     * {@code validationTimeout} for their closes. Otherwise waits up to {@code graceNanos} for in-use
     * connections to come back and for closes to return (until a tenth of the grace, at most 100 ms,
     * is left), then closes the rest under their holders and waits for those closes in what is left.
     * It never takes longer than the grace.
     * Closes still running then are left to finish (a close that hangs never holds this longer).
     */
    public void close(long graceNanos) {
        synchronized (structureLock) {
            if (lifecycle == CLOSED) {
                return;
            }
            lifecycle = CLOSED;
            if (retryTask != null) {
                retryTask.cancel(false);
            }
        }
        if (housekeeper != null) {
            housekeeper.cancel(false);
        }
        for (Waiter<C> waiter : waiters) {
            fail(waiter, new PoolClosedException("Pool '" + name + "' was closed while waiting for a connection"));
        }
        if (!closeIdle() && orderedRelease) {
            // A holder returning its connection as we closed may have read the lifecycle before our
            // write and written its slot idle after our look (its write has no fence: see release).
            // That write reaches other cores within nanoseconds; look again once it has, or with no
            // grace its connection would stay open in a closed pool.
            LockSupport.parkNanos(RELEASE_VISIBLE_NANOS);
            closeIdle();
        }
        long start = System.nanoTime();
        long deadline = Saturating.deadline(start, graceNanos >= 0 ? graceNanos : config.validationTimeoutNanos());
        if (graceNanos >= 0) {
            // The last tenth of the grace (at most FORCED_CLOSE_SHARE_NANOS) is kept for the closes
            // of connections taken from their holders, so that those are done when close returns,
            // unless one hangs: close(grace) never takes longer than grace.
            long forcedShare = Math.min(Saturating.clamp(graceNanos) / 10, FORCED_CLOSE_SHARE_NANOS);
            awaitQuiet(deadline - forcedShare, true);
            for (Slot<C> slot : slots) {
                if (slot.state != Slot.REMOVED) {
                    log.warn("Pool '{}' closes connection {} still in use after the close grace period", name, slot.id);
                    destroy(slot, DestroyReason.POOL_CLOSED, true);
                }
            }
        }
        awaitQuiet(deadline, false);
        if (standalone) {
            Background.release();
        }
        log.info("Pool '{}' closed ({} connections created, {} destroyed over its life)", name, created.get(), destroyed.get());
        List<Throwable> errors;
        synchronized (closeErrors) {
            errors = new ArrayList<>(closeErrors);
            closeErrors.clear();
        }
        if (!errors.isEmpty()) {
            PoolException failure = new PoolException("Pool '" + name + "' closed, but closing " + errors.size()
                    + " connection(s) failed; see the suppressed exceptions");
            errors.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** Closes every idle connection; false if some were in use (or being dialed or checked). */
    private boolean closeIdle() {
        boolean allClosed = true;
        for (Slot<C> slot : slots) {
            if (slot.tryReserve()) {
                destroy(slot, DestroyReason.POOL_CLOSED, true);
            } else if (slot.state != Slot.REMOVED) {
                allClosed = false;
            }
        }
        return allClosed;
    }

    /** Waits until {@code deadline} for running closes to return and, if asked, in-use connections to come back. */
    private void awaitQuiet(long deadline, boolean inUseToo) {
        synchronized (closeErrors) {
            while (closesRunning.get() > 0 || inUseToo && slotCount() > 0) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return;
                }
                try {
                    closeErrors.wait(Math.max(1, remaining / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // For an owner of several engines (a keyed pool)
    // ------------------------------------------------------------------------------------------------

    boolean hasIdle() {
        for (Slot<C> slot : slots) {
            if (slot.state == Slot.IDLE) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the engine holds nothing worth keeping: no connection, nobody waiting, and no back-off
     * running (forgetting a failing destination would forget its back-off too).
     */
    /**
     * Counts the caller in as pending. While an owner decides whether to forget the engine
     * ({@link #closeIfForgettable}) the count is held at {@link #DECIDING} and callers wait the few
     * reads that takes: a caller that came in after the owner had looked, and dialed, would have put a
     * connection into an engine about to close while the key's next engine dialed its own, more than
     * max-per-key at once (KeyedPoolChurnTest saw 3 for a max of 2).
     */
    private int enterPending() {
        for (;;) {
            int pending = pendingCallers.get();
            if (pending == DECIDING) {
                Thread.onSpinWait();
            } else if (pendingCallers.compareAndSet(pending, pending + 1)) {
                return pending + 1;
            }
        }
    }

    /**
     * Closes the engine if it holds nothing worth keeping (see {@link #isForgettable}), with callers
     * held off while it looks, so that none can slip in between the look and the close. Runs
     * {@code beforeClose} (the owner drops the engine from its map) just before closing.
     */
    boolean closeIfForgettable(Runnable beforeClose) {
        if (!pendingCallers.compareAndSet(0, DECIDING)) {
            return false;
        }
        boolean forgettable;
        try {
            forgettable = waiterCount() == 0 && allocated() == 0 && circuit.nanosUntilRetry(ticker.nanoTime()) == 0;
            if (forgettable) {
                beforeClose.run();
                // It holds no connection, no waiter and no back-off: closing is the lifecycle alone.
                // Callers let in below find it closed and look for the key's new engine.
                synchronized (structureLock) {
                    lifecycle = CLOSED;
                    if (retryTask != null) {
                        retryTask.cancel(false);
                    }
                }
            }
        } finally {
            pendingCallers.set(0);
        }
        return forgettable;
    }

    boolean isForgettable() {
        // Read in the order a caller raises them (pending, then waiters, then allocated): a caller
        // that slipped in between our reads is always caught by the later read.
        return pendingCallers.get() == 0 && waiterCount() == 0 && allocated() == 0
                && circuit.nanosUntilRetry(ticker.nanoTime()) == 0;
    }

    /** Live connections plus dials in flight. */
    int allocatedCount() {
        return allocated();
    }

    /** Live connections (not those being dialed). */
    int liveCount() {
        return slotCount();
    }

    boolean hasDemand() {
        return waiterCount() - specialWaiters.get() > 0;
    }

    /** The owner's place for this engine in its least-recently-used order; guarded by the owner. */
    Object lruEntry;

    Object key() {
        return key;
    }

    // ------------------------------------------------------------------------------------------------
    // Watching the pool
    // ------------------------------------------------------------------------------------------------

    public PoolStats stats() {
        int idle = 0;
        int inUse = 0;
        int inFlight = 0;
        int total = 0;
        for (Slot<C> slot : slots) {
            int state = slot.state;
            if (state == Slot.REMOVED) {
                continue;
            }
            total++;
            if (state == Slot.IDLE) {
                idle++;
            } else if (state > 0) {
                inUse++;
                inFlight += state & Slot.CALLS;
            }
        }
        Throwable lastError = circuit.lastError();
        return new PoolStats(total, idle, inUse, pendingCallers.get(), maxSize, config.minIdle(),
                created.get(), destroyed.get(), createFailures.get(), successfulOps.sum(), failedOps.sum(),
                timeouts.get(), inFlight, creating.get(), leaks.get(), circuit.state(),
                lastError == null ? null : CredentialsMaskedException.describe(lastError),
                lastError == null ? null : instant(circuit.lastErrorAt()));
    }

    public List<ConnectionInfo> connections() {
        List<ConnectionInfo> infos = new ArrayList<>();
        for (Slot<C> slot : slots) {
            if (slot.state != Slot.REMOVED) {
                infos.add(info(slot));
            }
        }
        return infos;
    }

    public ConnectionInfo info(Slot<C> slot) {
        int state = slot.state;
        ConnectionState shown = state == Slot.IDLE ? ConnectionState.IDLE
                : state > 0 && (state & Slot.RETIRING) != 0 ? ConnectionState.RETIRING
                : state > 0 ? ConnectionState.IN_USE
                : state == Slot.RESERVED ? ConnectionState.RESERVED : ConnectionState.CLOSED;
        return new ConnectionInfo(slot.id, key, shown, instant(slot.createdAt), instant(slot.lastUsedAt),
                slot.useCount, slot.calls(), slot.tags(), slot.leakReported);
    }

    private Instant instant(long nanos) {
        return baseInstant.plusNanos(nanos - baseNanos);
    }

    private int slotCount() {
        int live = 0;
        for (Slot<C> slot : slots) {
            if (slot.state != Slot.REMOVED) {
                live++;
            }
        }
        return live;
    }

    /** How many times the slot array was compacted after removals (for complexity tests). */
    public long arrayRebuilds() {
        synchronized (structureLock) {
            return arrayRebuilds;
        }
    }

    private int countIdle() {
        int idle = 0;
        for (Slot<C> slot : slots) {
            if (slot.state == Slot.IDLE) {
                idle++;
            }
        }
        return idle;
    }

    /** Calls the live connections could take right now: idle connections, for an exclusive pool. */
    private int countRoom() {
        int room = 0;
        for (Slot<C> slot : slots) {
            int state = slot.state;
            if (state >= 0 && state < maxCalls) {
                room += maxCalls - state;
            }
        }
        return room;
    }

    private boolean anyLiveMatch(Predicate<ConnectionInfo> filter) {
        for (Slot<C> slot : slots) {
            if (slot.state != Slot.REMOVED && UserCode.test(filter, info(slot), name)) {
                return true;
            }
        }
        return false;
    }

    private boolean isFailingFast() {
        return circuit.isFailingFast(ticker.nanoTime()) && allocated() < maxSize;
    }

    // ------------------------------------------------------------------------------------------------
    // Errors for the person on call
    // ------------------------------------------------------------------------------------------------

    private PoolExhaustedException timedOut(Predicate<ConnectionInfo> filter, long waitedNanos, String detail,
                                            boolean counted) {
        if (!counted) {
            timeouts.incrementAndGet();
        }
        listener.onAcquireTimeout(waitedNanos);
        PoolStats stats = stats();
        String why = (lifecycle == PAUSED ? "; the pool is paused" : "") + shared.describe() + detail;
        Throwable cause = CredentialsMaskedException.mask(circuit.currentError());
        if (cause != null) {
            why += "; opening connections is failing: " + CredentialsMaskedException.describe(cause);
        }
        if (filter != null) {
            return new PoolExhaustedException("Pool '" + name + "' exhausted: no connection matching the filter within "
                    + Duration.ofNanos(waitedNanos).toMillis() + " ms " + stateSummary(stats) + why, stats, cause);
        }
        return new PoolExhaustedException("Pool '" + name + "' exhausted: no connection within "
                + Duration.ofNanos(waitedNanos).toMillis() + " ms " + stateSummary(stats) + why, stats, cause);
    }

    private static String stateSummary(PoolStats stats) {
        // a dial that hangs (a factory stuck past any timeout) is the explanation when nothing else is
        return "(total=" + stats.total() + ", in-use=" + stats.inUse() + ", idle=" + stats.idle()
                + ", waiting=" + stats.pending() + ", max=" + stats.maxSize()
                + (stats.creating() > 0 ? ", connecting=" + stats.creating() : "") + ")";
    }

    private ConnectionFailedException connectionFailed(Throwable cause) {
        long now = ticker.nanoTime();
        long retryMillis = Duration.ofNanos(circuit.nanosUntilRetry(now)).toMillis();
        return new ConnectionFailedException("Pool '" + name + "' cannot open connections: "
                + circuit.consecutiveFailures() + " consecutive attempt(s) failed"
                + (retryMillis > 0 ? ", next attempt in " + retryMillis + " ms" : "") + "; last error: "
                + CredentialsMaskedException.describe(cause), CredentialsMaskedException.mask(cause),
                retryMillis > 0 ? Duration.ofMillis(retryMillis) : null);
    }

    private PoolClosedException closedException() {
        return new PoolClosedException("Pool '" + name + "' is closed");
    }

    private static void requireArgument(Object value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
    }
}
