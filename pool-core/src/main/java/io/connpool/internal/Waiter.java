package io.connpool.internal;

import io.connpool.ConnectionInfo;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * A caller parked in the pool's FIFO queue. Its outcome is decided exactly once, by a CAS of
 * {@code outcome} from {@code null} to a slot (served), a {@link RuntimeException} (failed) or
 * {@link #CANCELLED} (the caller gave up). Whoever wins the CAS owns the consequence: a granter that
 * loses must give its slot back, a caller that loses its cancel must take the slot it was given.
 */
final class Waiter<C> {

    static final Object CANCELLED = new Object();

    private static final VarHandle OUTCOME;

    static {
        try {
            OUTCOME = MethodHandles.lookup().findVarHandle(Waiter.class, "outcome", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread thread = Thread.currentThread();
    /** Only connections matching this are handed to the waiter; null for any. */
    final Predicate<ConnectionInfo> filter;
    /** When the caller started waiting (System.nanoTime), for the hand-off rule. */
    final long since = System.nanoTime();
    volatile Object outcome;
    /** False while the waiter is, or is about to be, parked: a releaser must unpark it. */
    volatile boolean awake = true;
    /**
     * Set when the first waiter was woken and a newcomer took the connection first: releasers stop
     * waking it, and it sleeps until hand-off is due (then connections go to waiters in order).
     */
    volatile boolean outraced;

    Waiter(Predicate<ConnectionInfo> filter) {
        this.filter = filter;
    }

    boolean isWaiting() {
        return outcome == null;
    }

    /** Decides the outcome; the caller then updates its counts and {@link #wake()}s the waiter. */
    boolean grant(Slot<C> slot) {
        return OUTCOME.compareAndSet(this, null, slot);
    }

    boolean fail(RuntimeException failure) {
        return OUTCOME.compareAndSet(this, null, failure);
    }

    void wake() {
        LockSupport.unpark(thread);
    }

    boolean cancel() {
        return OUTCOME.compareAndSet(this, null, CANCELLED);
    }
}
