package io.connpool;

import java.util.concurrent.atomic.AtomicReference;

/** A connection that records who holds it, so tests can catch one connection leased twice. */
final class FakeConnection implements AutoCloseable {

    final int id;
    final AtomicReference<Thread> holder = new AtomicReference<>();
    volatile boolean closed;
    volatile boolean dead;
    private final FakeFactory factory;

    FakeConnection(int id, FakeFactory factory) {
        this.id = id;
        this.factory = factory;
    }

    /** Marks the connection held by the current thread; fails if another thread holds it. */
    void enter() {
        if (closed) {
            throw new AssertionError("connection " + id + " used after it was closed");
        }
        Thread other = holder.getAndSet(Thread.currentThread());
        if (other != null) {
            factory.doubleLeases.incrementAndGet();
            throw new AssertionError("connection " + id + " leased to " + Thread.currentThread().getName()
                    + " while " + other.getName() + " holds it");
        }
    }

    void exit() {
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
