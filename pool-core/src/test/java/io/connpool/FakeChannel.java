package io.connpool;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A multiplexed connection (an HTTP/2 channel, say): many calls at once, each recorded, so tests can
 * check the in-flight limit and that no call ran twice. {@link #kill()} makes it fail every call, as
 * a channel whose server closed it.
 */
final class FakeChannel implements AutoCloseable {

    static final Set<Integer> EXECUTED_TWICE = ConcurrentHashMap.newKeySet();

    final int id;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    private final FakeChannelFactory factory;
    volatile boolean dead;
    volatile boolean closed;

    FakeChannel(int id, FakeChannelFactory factory) {
        this.id = id;
        this.factory = factory;
    }

    /** Runs request {@code requestId}; fails when the channel is dead. */
    int call(int requestId) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            if (dead || closed) {
                throw new IOException("channel " + id + " was closed by the server");
            }
            if (!factory.executed.add(requestId)) {
                EXECUTED_TWICE.add(requestId);
            }
            calls.incrementAndGet();
            Thread.yield();
            return id;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    void kill() {
        dead = true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            factory.doubleCloses.incrementAndGet();
            return;
        }
        closed = true;
        factory.live.decrementAndGet();
    }
}
