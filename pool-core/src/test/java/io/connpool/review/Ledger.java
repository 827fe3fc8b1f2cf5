package io.connpool.review;

import io.connpool.ConnectionFactory;
import io.connpool.KeyedConnectionFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A factory (plain and keyed) that counts every connection: opened, closed, closed twice, open at
 * once (counting dials in flight), per key. Hooks let a test make connect / validate / close hostile.
 */
public class Ledger implements ConnectionFactory<Conn>, KeyedConnectionFactory<String, Conn> {

    public interface Hook {
        void run(Conn c) throws Exception;
    }

    public interface ValidateHook {
        boolean run(Conn c) throws Exception;
    }

    public interface ConnectHook {
        void run(Object key) throws Exception;
    }

    final AtomicLong ids = new AtomicLong();
    final Map<Long, Conn> open = new ConcurrentHashMap<>();
    final Map<Long, AtomicInteger> closes = new ConcurrentHashMap<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final AtomicInteger live = new AtomicInteger();          // dials in flight + open
    final AtomicInteger maxLive = new AtomicInteger();
    final Map<Object, AtomicInteger> livePerKey = new ConcurrentHashMap<>();
    final AtomicInteger maxLivePerKey = new AtomicInteger();
    volatile ConnectHook onConnect = k -> { };
    volatile ValidateHook onValidate = c -> true;
    volatile Hook onClose = c -> { };

    @Override
    public Conn connect() throws Exception {
        return connect((String) null);
    }

    @Override
    public Conn connect(String key) throws Exception {
        int now = live.incrementAndGet();
        maxLive.accumulateAndGet(now, Math::max);
        Object k = key == null ? "" : key;
        int perKey = livePerKey.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
        maxLivePerKey.accumulateAndGet(perKey, Math::max);
        try {
            onConnect.run(key);
        } catch (Throwable e) {
            live.decrementAndGet();
            livePerKey.get(k).decrementAndGet();
            throw e;
        }
        Conn c = new Conn(ids.incrementAndGet(), key);
        open.put(c.id, c);
        closes.put(c.id, new AtomicInteger());
        return c;
    }

    @Override
    public boolean validate(Conn c) throws Exception {
        check(c, "validate");
        return onValidate.run(c);
    }

    @Override
    public boolean validate(String key, Conn c) throws Exception {
        return validate(c);
    }

    @Override
    public void close(Conn c) throws Exception {
        AtomicInteger n = closes.get(c.id);
        if (n == null) {
            problems.add("close of unknown " + c);
        } else if (n.incrementAndGet() > 1) {
            problems.add(c + " closed " + n.get() + " times");
        } else {
            open.remove(c.id);
            live.decrementAndGet();
            livePerKey.get(c.key == null ? "" : c.key).decrementAndGet();
        }
        onClose.run(c);
    }

    @Override
    public void close(String key, Conn c) throws Exception {
        close(c);
    }

    void check(Conn c, String what) {
        AtomicInteger n = closes.get(c.id);
        if (n != null && n.get() > 0) {
            problems.add(what + " of closed " + c);
        }
    }

    /** After the pool is closed: every connection closed exactly once, no problem recorded. */
    void assertAllClosedOnce() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(open).as("connections still open").isEmpty());
        assertThat(problems).as("ledger problems").isEmpty();
    }

    @SuppressWarnings("unchecked")
    static <E extends Throwable> void sneaky(Throwable e) throws E {
        throw (E) e;
    }
}
