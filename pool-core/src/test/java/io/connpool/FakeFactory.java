package io.connpool;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A factory that fails, hangs or returns null on command, and keeps the figures tests check: live
 * connections now and at most, dials running at once, and the misuse {@link PoolInvariants} checks.
 */
final class FakeFactory implements ConnectionFactory<FakeConnection>, ConnectionLedger {

    private static final AtomicInteger NAMES = new AtomicInteger();

    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger live = new AtomicInteger();
    final AtomicInteger maxLive = new AtomicInteger();
    final AtomicInteger dialing = new AtomicInteger();
    final AtomicInteger maxDialing = new AtomicInteger();
    final AtomicInteger connectCalls = new AtomicInteger();
    final AtomicInteger validations = new AtomicInteger();
    final AtomicInteger doubleLeases = new AtomicInteger();
    /** Counted, not only thrown: the pool reports a close that throws but carries on. */
    final AtomicInteger doubleCloses = new AtomicInteger();
    final List<FakeConnection> all = new CopyOnWriteArrayList<>();
    /** Holders one connection may have at once: 1 for an exclusive pool, maxCallsPerConnection for a shared one. */
    volatile int holdersAllowed = 1;
    private final String name = "FakeFactory-" + NAMES.incrementAndGet();
    volatile Exception failWith;
    volatile boolean returnNull;
    volatile CountDownLatch hold;
    volatile boolean failClose;

    @Override
    public FakeConnection connect() throws Exception {
        connectCalls.incrementAndGet();
        maxDialing.accumulateAndGet(dialing.incrementAndGet(), Math::max);
        try {
            CountDownLatch gate = hold;
            if (gate != null) {
                gate.await();
            }
            Exception failure = failWith;
            if (failure != null) {
                throw failure;
            }
            if (returnNull) {
                return null;
            }
            FakeConnection connection = new FakeConnection(opened.incrementAndGet(), this);
            maxLive.accumulateAndGet(live.incrementAndGet(), Math::max);
            all.add(connection);
            return connection;
        } finally {
            dialing.decrementAndGet();
        }
    }

    @Override
    public boolean validate(FakeConnection connection) {
        validations.incrementAndGet();
        return !connection.dead;
    }

    void closed(FakeConnection connection) throws IOException {
        if (connection.closed) {
            doubleCloses.incrementAndGet();
            throw new AssertionError("connection " + connection.id + " closed twice");
        }
        connection.closed = true;
        live.decrementAndGet();
        if (failClose) {
            throw new IOException("close of connection " + connection.id + " failed");
        }
    }

    /** Makes every dial fail with "connection refused" until {@link #recover()}. */
    void goDown() {
        failWith = new java.net.ConnectException("Connection refused (fake)");
    }

    void recover() {
        failWith = null;
    }

    @Override
    public int open() {
        return live.get();
    }

    @Override
    public int closedTwice() {
        return doubleCloses.get();
    }

    @Override
    public int overHeld() {
        return doubleLeases.get();
    }

    @Override
    public String toString() {
        return name;
    }
}
