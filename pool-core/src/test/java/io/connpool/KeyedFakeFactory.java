package io.connpool;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link FakeFactory} per key, with the totals across keys that a keyed pool's caps bound. */
final class KeyedFakeFactory implements KeyedConnectionFactory<String, FakeConnection>, ConnectionLedger {

    final Map<String, FakeFactory> perKey = new ConcurrentHashMap<>();
    final AtomicInteger live = new AtomicInteger();
    final AtomicInteger maxLive = new AtomicInteger();
    final Set<String> down = ConcurrentHashMap.newKeySet();

    FakeFactory of(String key) {
        return perKey.computeIfAbsent(key, k -> new FakeFactory());
    }

    @Override
    public FakeConnection connect(String key) throws Exception {
        if (down.contains(key)) {
            of(key).connectCalls.incrementAndGet();
            throw new java.net.ConnectException("Connection refused (fake " + key + ")");
        }
        FakeConnection connection = of(key).connect();
        maxLive.accumulateAndGet(live.incrementAndGet(), Math::max);
        return connection;
    }

    @Override
    public boolean validate(String key, FakeConnection connection) {
        return of(key).validate(connection);
    }

    @Override
    public void close(String key, FakeConnection connection) throws Exception {
        live.decrementAndGet();
        connection.close();
    }

    @Override
    public int open() {
        return perKey.values().stream().mapToInt(FakeFactory::open).sum();
    }

    @Override
    public int closedTwice() {
        return perKey.values().stream().mapToInt(FakeFactory::closedTwice).sum();
    }

    @Override
    public int overHeld() {
        return perKey.values().stream().mapToInt(FakeFactory::overHeld).sum();
    }

    @Override
    public String toString() {
        return "KeyedFakeFactory" + perKey.keySet();
    }
}
