package io.connpool.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lets an engine's fill tell whether a waiter was being served while it counted the demand.
 *
 * <p>A fill dials for the plain waiters minus the room the live connections have: two reads, the
 * waiter count, then the slots. Serving a waiter is two writes in the same order: a connection is
 * claimed for it, then it leaves the waiter count. A fill whose two reads fall between those two
 * writes counts that waiter twice, as waiting and through the connection it already holds, and dials
 * a connection nobody asked for (issue 19: a key's first use opened two; one sat idle). Whoever claims
 * a connection for a waiter still counted ({@code Engine.dispatch}, the first waiter serving itself in
 * {@code Engine.await}) does so between {@link #begin()} and {@link #end()}.
 *
 * <p>The fill takes a {@link #mark()} (the serves done) before it reads the waiter count, and after
 * its look at the slots asks for the serves {@link #overlapping} it (begun since): a serve whose claim
 * it saw and whose leaving it missed began before the second read and was not done at the first, so
 * it is among them. Each may be a double count. When there are any, the fill dials as if each of
 * them were one, which may be too few, and calls {@link #askRefill}: the next serve to end runs the
 * fill again ({@link #end()} returns true to one serve per ask; that fill asks again if a serve still
 * overlaps it), or, if they have all ended already, the fill looks again at once. The ask is a flag
 * written before the fill reads {@code done}; a serve bumps {@code done} before it reads the flag:
 * one of the two sees the other, so no serve ends unseen. The fill never dials for a double-counted
 * waiter, and never stays short of the demand it left out.
 *
 * <p>Nothing here is on the fast path: a caller that finds an idle connection without waiting
 * claims it outside any serve. A serve costs two atomic increments and a read of a flag that is set
 * only when a fill overlapped one.
 */
final class Serving {

    private static final VarHandle BEGUN;
    private static final VarHandle DONE;
    private static final VarHandle REFILL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            BEGUN = lookup.findVarHandle(Serving.class, "begun", int.class);
            DONE = lookup.findVarHandle(Serving.class, "done", int.class);
            REFILL = lookup.findVarHandle(Serving.class, "refill", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Fields, not AtomicIntegers: a keyed pool keeps an engine, and so one of these, per key.
    // Counters that wrap: only differences are compared.
    private volatile int begun;
    private volatile int done;
    private volatile boolean refill;

    /** Before claiming a connection for a waiter that is still counted as waiting. */
    void begin() {
        BEGUN.getAndAdd(this, 1);
    }

    /**
     * Once the waiter left the count, or the claim came to nothing. True when a fill that overlapped
     * this serve asked to run again: the caller runs it.
     */
    boolean end() {
        DONE.getAndAdd(this, 1);
        return refill && REFILL.compareAndSet(this, true, false);
    }

    /** Taken by a fill before it reads the waiter count. */
    int mark() {
        return done;
    }

    /** Read by a fill after its look at the slots: serves that may have overlapped the look since {@code mark}. */
    int overlapping(int mark) {
        return begun - mark;
    }

    /**
     * The fill counted {@code overlapping} serves since {@code mark} as double counts and may have
     * dialed too few. False: one of them is still running and will have the fill run again when it
     * ends. True: they all ended while the fill looked, and the fill must look again itself.
     */
    boolean askRefill(int mark, int overlapping) {
        refill = true;
        return done - (mark + overlapping) >= 0;
    }
}
