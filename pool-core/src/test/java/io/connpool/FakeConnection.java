package io.connpool;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A connection that records who holds it, so tests can catch one connection leased twice (or, in a
 * shared pool, to more calls at once than {@link FakeFactory#holdersAllowed}).
 */
final class FakeConnection implements AutoCloseable {

    final int id;
    final AtomicReference<Thread> holder = new AtomicReference<>();
    private final AtomicInteger holders = new AtomicInteger();
    volatile boolean closed;
    volatile boolean dead;
    private final FakeFactory factory;

    FakeConnection(int id, FakeFactory factory) {
        this.id = id;
        this.factory = factory;
    }

    /** Marks the connection held by the current thread; fails if that is one holder too many. */
    void enter() {
        if (closed) {
            throw new AssertionError("connection " + id + " used after it was closed");
        }
        Thread other = holder.getAndSet(Thread.currentThread());
        if (holders.incrementAndGet() > factory.holdersAllowed) {
            holders.decrementAndGet();
            factory.doubleLeases.incrementAndGet();
            throw new AssertionError("connection " + id + " leased to " + Thread.currentThread().getName()
                    + " while " + (other == null ? "others" : other.getName()) + " hold it (" + factory.holdersAllowed
                    + " allowed at once)");
        }
    }

    void exit() {
        holders.decrementAndGet();
        holder.set(null);
    }

    @Override
    public void close() throws java.io.IOException {
        factory.closed(this);
    }

    @Override
    public String toString() {
        return "FakeConnection-" + id;
    }
}
