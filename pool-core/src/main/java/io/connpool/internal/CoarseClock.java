package io.connpool.internal;

import io.connpool.Ticker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * The time a checkout and a return read: the system clock as of the last tick, refreshed every
 * {@link #TICK_NANOS} by the pools' scheduler thread for as long as any pool is open.
 *
 * <p>Why: a read of the system clock ({@code System.nanoTime()}, ~25 ns on the build machine's VM)
 * costs more than a whole uncontended checkout and return, and a pool with lifetimes, idle timeouts
 * or validation after inactivity (the defaults) needs a time on both. Reading this field instead
 * made the default pool as fast as one that keeps no time at all (the README's Performance section).
 *
 * <p>What it costs in accuracy, and what the engine promises in return (the README says the same):
 * the time read lags the real one by at most one tick (plus however late the scheduler thread runs).
 * A connection's lifetime ends at a precise instant, read when it was created, and a checkout
 * compares a time that is never ahead of the real one against it: a connection is never retired
 * early, and never handed out more than one tick after its lifetime ended. Validation after
 * inactivity subtracts one tick from the inactivity it waits for ({@link #slackNanos}): a connection
 * idle for the full setting is always validated, one idle up to a tick less may be too.
 *
 * <p>Only the system ticker is made coarse. Any other ticker (a test's, advanced by hand) is read on
 * every use, as before, unless it is itself a coarse clock built by {@link #manual}, which a test
 * ticks by hand to check the promises above.
 */
public final class CoarseClock implements Ticker {

    /** Four ticks a second: the scheduler thread's only periodic work while the pools are idle. */
    static final long TICK_NANOS = Duration.ofMillis(250).toNanos();

    private static final VarHandle NOW;

    static {
        try {
            NOW = MethodHandles.lookup().findVarHandle(CoarseClock.class, "now", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final Ticker SYSTEM_TICKER = Ticker.system();
    static final CoarseClock SYSTEM = new CoarseClock(SYSTEM_TICKER);

    private final Ticker source;
    /**
     * Read and written with opaque access: a reader needs the value, never an order with other
     * memory (a volatile read forbade the JIT from moving the hot path's other loads above it:
     * uncontended, 1 thread pinned to one core, the default pool ran at 59.8-60.8 ops/us with a
     * volatile read and 61.5-63.2 with this, 68.5-69.3 with no time-keeping).
     */
    private long now;

    private CoarseClock(Ticker source) {
        this.source = source;
        NOW.setOpaque(this, source.nanoTime());
    }

    /** A coarse clock over {@code source} that moves only when {@link #tick()} is called. */
    public static CoarseClock manual(Ticker source) {
        return new CoarseClock(source);
    }

    /**
     * What a pool built with {@code ticker} reads on its hot path: the shared coarse system clock for
     * the system ticker, the ticker itself otherwise.
     */
    static Ticker hotPath(Ticker ticker) {
        return ticker == SYSTEM_TICKER ? SYSTEM : ticker;
    }

    /**
     * The precise clock behind {@code ticker}: what the pool reads where time must be exact (dials,
     * back-off, timed usage) and off the hot path.
     */
    static Ticker precise(Ticker ticker) {
        return ticker instanceof CoarseClock coarse ? coarse.source : ticker;
    }

    /**
     * How late a time read from {@code hotPath} may be: one tick for a coarse clock, 0 for any other.
     * Checks that must not miss a bound (validation after inactivity) start that much early.
     */
    static long slackNanos(Ticker hotPath) {
        return hotPath instanceof CoarseClock ? TICK_NANOS : 0L;
    }

    @Override
    public long nanoTime() {
        return (long) NOW.getOpaque(this);
    }

    /** Reads the source clock; the only writer of {@code now} (the scheduler thread, or a test). */
    public void tick() {
        NOW.setOpaque(this, source.nanoTime());
    }
}
