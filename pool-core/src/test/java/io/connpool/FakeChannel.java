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
    final Set<Integer> executed;
    final AtomicInteger liveChannels;
    volatile boolean dead;
    volatile boolean closed;

    FakeChannel(int id, Set<Integer> executed, AtomicInteger liveChannels) {
        this.id = id;
        this.executed = executed;
        this.liveChannels = liveChannels;
    }

    /** Runs request {@code requestId}; fails when the channel is dead. */
    int call(int requestId) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            if (dead || closed) {
                throw new IOException("channel " + id + " was closed by the server");
            }
            if (!executed.add(requestId)) {
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
    public void close() {
        if (!closed) {
            closed = true;
            liveChannels.decrementAndGet();
        }
    }
}
