package io.connpool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;

/**
 * One live connection and its bookkeeping.
 *
 * <p>{@code state} is the whole concurrency story of a slot: a value {@code >= 0} is the number of
 * calls running on the connection (an exclusive pool allows 0 or 1), {@link #RESERVED} means the pool
 * itself holds it (validating or closing it), {@link #REMOVED} means it is out of the pool for good.
 * Only a successful CAS on {@code state} moves a slot between holders, so whoever won it owns the
 * connection; the plain fields below are written by the owner before it gives the slot up with a
 * volatile write of {@code state}, which publishes them to the next owner.
 */
final class Slot<C> extends SlotHotFields<C> {

    static final int IDLE = 0;
    static final int RESERVED = -1;
    static final int REMOVED = -2;
    /**
     * Set on a shared slot that takes no new call (broken, invalid, past its lifetime); the low bits
     * still count the calls running on it, and the call that brings them to zero closes it.
     */
    static final int RETIRING = 1 << 30;
    /**
     * The low bits: calls running, at most 2^30 - 1. {@code maxCallsPerConnection} is clamped to this
     * (SharedConnectionPool.MAX_CALLS_PER_CONNECTION): with room for more, a claim ({@code s < maxCalls})
     * would succeed on a retiring slot and a count would carry into the RETIRING bit.
     */
    static final int CALLS = RETIRING - 1;

    private static final VarHandle STATE;
    private static final VarHandle DESTROYED;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SlotHotFields.class, "state", int.class);
            DESTROYED = MethodHandles.lookup().findVarHandle(Slot.class, "destroyed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Written by the owner, published by the release of state. Declared first so that they follow
    // SlotHotFields' fields: a pool that keeps time writes these two on every checkout and return.
    /** When the current checkout began, precisely, for listeners; Engine.UNTIMED when not timed. */
    long acquiredAt;
    /** The hot clock's time when a checkout of this slot was last timed for a sampling listener. */
    long usageTimedAt;
    long lastUsedAt;
    long lastValidatedAt;

    final long id;
    final long createdAt;
    /**
     * Immutable, replaced whole on each {@link #tag}: tags are set rarely and read in snapshots, and a
     * map per connection (a ConcurrentHashMap was ~160 bytes even when empty) weighs on a keyed pool
     * holding tens of thousands of connections. Until tagged, every slot shares the pool's map.
     */
    private volatile Map<String, String> tags;
    /** Who holds the slot and since when; kept only while leak detection is on. */
    volatile LeakTrace trace;
    volatile boolean leakReported;
    /** Set by drain(): the slot expired because the pool was drained, not by age. */
    volatile boolean drained;
    /** Why a retiring shared slot will be closed. */
    volatile io.connpool.DestroyReason retireReason;
    /** Set once, by whoever closes the connection: a slot is closed and counted once (see releaseHeld). */
    private volatile boolean destroyed;

    Slot(Engine<C> engine, long id, C connection, long createdAt, long expiresAt, Map<String, String> tags) {
        super(engine, connection, expiresAt);
        this.id = id;
        this.createdAt = createdAt;
        this.lastUsedAt = createdAt;
        this.lastValidatedAt = createdAt;
        this.acquiredAt = Engine.UNTIMED;
        this.tags = tags;
    }

    Map<String, String> tags() {
        return tags;
    }

    /** Sets one tag; callers sharing the connection may tag it at once, so writers take turns. */
    synchronized void tag(String key, String value) {
        Map<String, String> next = new HashMap<>(tags);
        next.put(key, value);
        tags = Map.copyOf(next);
    }

    boolean cas(int expected, int next) {
        return STATE.compareAndSet(this, expected, next);
    }

    /** Claims one call on the slot if it has room for another under {@code maxCalls}. */
    boolean tryClaim(int maxCalls) {
        int s = state;
        return s >= 0 && s < maxCalls && STATE.compareAndSet(this, s, s + 1);
    }

    /** Claims the slot for the pool itself; only an idle slot can be reserved. */
    boolean tryReserve() {
        return state == IDLE && STATE.compareAndSet(this, IDLE, RESERVED);
    }

    /** Ends one call (for an exclusive slot: makes it idle); returns the state it leaves. */
    int releaseCall(int maxCalls) {
        if (maxCalls == 1) {
            // A CAS, not a plain write: close(grace) may have taken the slot out under its holder,
            // and a removed slot must never come back to life as idle.
            return STATE.compareAndSet(this, 1, IDLE) ? IDLE : state;
        }
        for (;;) {
            int s = state;
            if (s <= 0) {
                return s; // taken out under us
            }
            if (STATE.compareAndSet(this, s, s - 1)) {
                return s - 1;
            }
        }
    }

    /**
     * Makes an exclusive slot idle, for its holder, with an ordered store: everything the holder wrote
     * before is visible to the next holder, but unlike a CAS this is no fence (reads after it may be
     * served before it is visible to other cores), and it writes over whatever is there. The one
     * other writer of a held slot is close(grace) closing it under its holder: the slot then comes
     * back idle in a closed pool, where the holder's read of the lifecycle sends it to be taken out
     * again, and {@link #markDestroyed} keeps its connection from being closed and counted twice.
     */
    void releaseHeld() {
        STATE.setRelease(this, IDLE);
    }

    /** True for the first caller only: the one that closes the connection and counts it. */
    boolean markDestroyed() {
        return DESTROYED.compareAndSet(this, false, true);
    }

    /** Hands a slot the pool held (being created, validated) back as idle, unless it was taken out. */
    boolean unreserve() {
        return STATE.compareAndSet(this, RESERVED, IDLE);
    }

    /** Stops new calls on a shared slot; false if it was retiring or out of the pool already. */
    boolean markRetiring() {
        for (;;) {
            int s = state;
            if (s < 0 || (s & RETIRING) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s | RETIRING)) {
                return true;
            }
        }
    }

    /** Calls running on the slot now. */
    int calls() {
        int s = state;
        return s < 0 ? 0 : s & CALLS;
    }

    /**
     * Counts a use. Plain, even on a shared slot: an atomic add would be one more contended write per
     * call; under concurrent calls the count may miss a few, which a statistic can afford.
     */
    void countUse() {
        useCount++;
    }

    boolean isIdle() {
        return state == IDLE;
    }

    /** Where and by whom a connection was taken; logged as the stack trace of a suspected leak. */
    static final class LeakTrace extends Throwable {
        final long acquiredAt;
        final String thread;

        LeakTrace(long acquiredAt, String thread) {
            super("connection acquired by thread '" + thread + "'");
            this.acquiredAt = acquiredAt;
            this.thread = thread;
        }
    }
}
