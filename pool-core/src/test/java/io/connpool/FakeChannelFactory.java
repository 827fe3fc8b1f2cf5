package io.connpool;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens {@link FakeChannel}s for a shared pool and keeps what tests check: the requests run, the
 * channels live now and at most, and what {@link PoolInvariants} holds the pool to.
 */
final class FakeChannelFactory implements ConnectionFactory<FakeChannel>, ConnectionLedger {

    final Set<Integer> executed = ConcurrentHashMap.newKeySet();
    final AtomicInteger live = new AtomicInteger();
    final AtomicInteger maxLive = new AtomicInteger();
    final AtomicInteger doubleCloses = new AtomicInteger();
    final List<FakeChannel> channels = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** The pool's maxCallsPerConnection: a channel that ever ran more calls at once was over-held. */
    volatile int callsAllowed = Integer.MAX_VALUE;

    @Override
    public FakeChannel connect() {
        FakeChannel channel = new FakeChannel(ids.incrementAndGet(), this);
        maxLive.accumulateAndGet(live.incrementAndGet(), Math::max);
        channels.add(channel);
        return channel;
    }

    @Override
    public boolean validate(FakeChannel channel) {
        return !channel.dead;
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
        int limit = callsAllowed;
        return (int) channels.stream().filter(c -> c.maxInFlight.get() > limit).count();
    }

    @Override
    public String toString() {
        return "FakeChannelFactory(" + channels.size() + " channels, " + callsAllowed + " calls allowed at once)";
    }
}
