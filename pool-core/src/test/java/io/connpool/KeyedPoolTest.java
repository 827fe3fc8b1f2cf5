package io.connpool;

import io.connpool.internal.KeyedExclusivePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class KeyedPoolTest {

    @RegisterExtension
    final PoolInvariants invariants = new PoolInvariants();

    private final KeyedFakeFactory factory = new KeyedFakeFactory();
    private final ManualTicker ticker = new ManualTicker();

    private KeyedPool.Builder<String, FakeConnection> builder() {
        return KeyedPool.builder(factory).name("keyed").acquireTimeout(Duration.ofSeconds(5));
    }

    private KeyedPool<String, FakeConnection> pool(KeyedPool.Builder<String, FakeConnection> builder) {
        return invariants.track(builder.build(), factory);
    }

    private static void housekeep(KeyedPool<String, FakeConnection> pool) {
        ((KeyedExclusivePool<String, FakeConnection>) pool).runHousekeeping();
    }

    /** Starts a thread that makes one call to {@code key}; the latch opens when the call returned. */
    private static CountDownLatch callInBackground(KeyedPool<String, FakeConnection> pool, String key) {
        CountDownLatch served = new CountDownLatch(1);
        new Thread(() -> {
            pool.withConnection(key, c -> c.id);
            served.countDown();
        }).start();
        return served;
    }

    private static void use(KeyedPool<String, FakeConnection> pool, String key) {
        pool.withConnection(key, c -> c.id);
    }

    @Test
    void connectionsAreKeptPerKey() {
        KeyedPool<String, FakeConnection> pool = pool(builder());
        use(pool, "a");
        use(pool, "a");
        use(pool, "b");
        assertThat(factory.of("a").opened).hasValue(1);
        assertThat(factory.of("b").opened).hasValue(1);
        assertThat(pool.keys()).containsExactlyInAnyOrder("a", "b");
        assertThat(pool.stats("a")).extracting(PoolStats::total, PoolStats::successfulOperations).containsExactly(1, 2L);
        assertThat(pool.stats()).extracting(PoolStats::total, PoolStats::successfulOperations, PoolStats::maxSize)
                .containsExactly(2, 3L, 100);
        assertThat(pool.connections()).extracting(ConnectionInfo::key).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void perKeyAndTotalCapsHoldUnderSixteenThreadsOverEightKeys() throws Exception {
        KeyedPool<String, FakeConnection> pool = pool(builder().maxPerKey(3).maxTotal(10).maxPending(32)
                .acquireTimeout(Duration.ofSeconds(20)));
        Map<String, AtomicInteger> inUse = new ConcurrentHashMap<>();
        AtomicInteger maxPerKeySeen = new AtomicInteger();
        List<Throwable> failures = PoolStressTest.runThreads(16, 1_500, i -> {
            String key = "k" + ThreadLocalRandom.current().nextInt(8);
            pool.withConnection(key, c -> {
                c.enter();
                try {
                    int now = inUse.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    maxPerKeySeen.accumulateAndGet(now, Math::max);
                    maxPerKeySeen.accumulateAndGet(factory.of(key).live.get(), Math::max);
                    return null;
                } finally {
                    inUse.get(key).decrementAndGet();
                    c.exit();
                }
            });
        });
        assertThat(failures).isEmpty();
        assertThat(factory.maxLive).as("live connections of all keys at any moment").hasValueLessThanOrEqualTo(10);
        assertThat(maxPerKeySeen).as("live connections of one key").hasValueLessThanOrEqualTo(3);
        assertThat(factory.perKey.values()).allSatisfy(f -> assertThat(f.maxLive).hasValueLessThanOrEqualTo(3));
        assertThat(pool.stats().successfulOperations()).isEqualTo(16 * 1_500);
    }

    @Test
    void atTheTotalCapTheLeastRecentlyUsedIdleConnectionOfAnotherKeyMakesRoom() {
        KeyedPool<String, FakeConnection> pool = pool(builder().ticker(ticker).maxTotal(3).maxPerKey(3));
        for (String key : List.of("a", "b", "c")) {
            use(pool, key);
            ticker.advance(Duration.ofSeconds(2));
        }
        use(pool, "b"); // b is now the most recently used: a, c, b
        ticker.advance(Duration.ofSeconds(2));
        use(pool, "d");
        assertThat(pool.stats("a").total()).as("least recently used").isZero();
        assertThat(pool.stats("b").total()).isEqualTo(1);
        use(pool, "e");
        assertThat(pool.stats("c").total()).isZero();
        assertThat(pool.stats("b").total()).isEqualTo(1);
        assertThat(factory.maxLive).hasValueLessThanOrEqualTo(3);
        assertThat(pool.stats().total()).isEqualTo(3);
    }

    @Test
    void aKeyWaitingForRoomGetsItWhenAnotherKeyReturnsAConnection() throws Exception {
        KeyedPool<String, FakeConnection> pool = pool(builder().maxTotal(2).maxPerKey(2));
        Lease<FakeConnection> a = pool.acquire("a");
        Lease<FakeConnection> b = pool.acquire("b");
        CountDownLatch served = callInBackground(pool, "c");
        await().until(() -> pool.stats("c").pending() == 1);
        assertThat(pool.stats("a").pending()).as("waiters of c never queue at a").isZero();
        FakeConnection aConnection = a.connection();
        a.close(); // nobody waits for a: its connection is closed to make room for c
        assertThat(served.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(aConnection.closed).isTrue();
        assertThat(factory.maxLive).hasValueLessThanOrEqualTo(2);
        b.close();
    }

    @Test
    void waitersOfAKeyGetItsReturnedConnectionsFirst() throws Exception {
        KeyedPool<String, FakeConnection> pool = pool(builder().maxTotal(2).maxPerKey(1));
        Lease<FakeConnection> a = pool.acquire("a");
        Lease<FakeConnection> b = pool.acquire("b");
        CountDownLatch aServed = callInBackground(pool, "a");
        await().until(() -> pool.stats("a").pending() == 1);
        FakeConnection aConnection = a.connection();
        a.close();
        assertThat(aServed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(aConnection.closed).as("reused by a's own waiter").isFalse();
        b.close();
    }

    @Test
    void timeoutAtTheTotalCapSaysSo() {
        KeyedPool<String, FakeConnection> pool = pool(builder().maxTotal(1).maxPerKey(1));
        Lease<FakeConnection> a = pool.acquire("a");
        assertThatThrownBy(() -> pool.acquire("b", Duration.ofMillis(100)))
                .isInstanceOf(PoolExhaustedException.class)
                .hasMessageContaining("Pool 'keyed[b]' exhausted")
                .hasMessageContaining("all keys together are at max-total (1 of 1)");
        a.close();
    }

    @Test
    void aDownKeyFailsFastWithBackoffWhileTheOthersServe() {
        factory.down.add("down");
        KeyedPool<String, FakeConnection> pool = pool(builder().ticker(ticker).revive(false)
                .connectBackoff(Duration.ofSeconds(10), Duration.ofSeconds(60)));
        assertThatThrownBy(() -> use(pool, "down")).isInstanceOf(ConnectionFailedException.class)
                .hasCauseInstanceOf(ConnectException.class).hasMessageContaining("keyed[down]");
        for (int i = 0; i < 100; i++) {
            use(pool, "up" + (i % 4));
            assertThatThrownBy(() -> use(pool, "down")).isInstanceOf(ConnectionFailedException.class);
        }
        assertThat(factory.of("down").connectCalls).as("no dial to the down key during its back-off").hasValue(1);
        assertThat(pool.stats("down").circuit()).isEqualTo(CircuitState.OPEN);
        assertThat(pool.stats("up0").circuit()).isEqualTo(CircuitState.CLOSED);
        assertThat(pool.stats().circuit()).isEqualTo(CircuitState.OPEN);
        housekeep(pool);
        assertThat(pool.keys()).as("a key in back-off is remembered").contains("down");
    }

    @Test
    void aKeyWithNoConnectionAndNoWaiterIsForgotten() {
        KeyedPool<String, FakeConnection> pool = pool(builder());
        try (Lease<FakeConnection> lease = pool.acquire("gone")) {
            lease.invalidate();
        }
        use(pool, "kept");
        // forgotten once the invalidated connection's close (on a worker) has returned and freed its room
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            housekeep(pool);
            assertThat(pool.keys()).containsExactly("kept");
        });
        assertThat(pool.stats().created()).as("totals keep what forgotten keys did").isEqualTo(2);
        assertThat(pool.stats().destroyed()).isEqualTo(1);
        use(pool, "gone"); // and it comes back on demand
        assertThat(pool.keys()).containsExactlyInAnyOrder("gone", "kept");
    }

    @Test
    void minIdlePerKeyWarmsEveryKeySeen() {
        KeyedPool<String, FakeConnection> pool = pool(builder().minIdlePerKey(2));
        use(pool, "a");
        use(pool, "b");
        await().until(() -> pool.stats("a").idle() == 2 && pool.stats("b").idle() == 2);
        housekeep(pool);
        assertThat(pool.keys()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void drainOfOneKeyLeavesTheOthers() {
        KeyedPool<String, FakeConnection> pool = pool(builder());
        use(pool, "a");
        use(pool, "b");
        pool.drain("a");
        assertThat(pool.stats("a").total()).isZero();
        assertThat(pool.stats("b").total()).isEqualTo(1);
    }

    @Test
    void shrinkingTheTotalClosesIdleConnectionsLeastRecentlyUsedFirst() {
        KeyedPool<String, FakeConnection> pool = pool(builder().ticker(ticker).maxTotal(4));
        for (String key : List.of("a", "b", "c", "d")) {
            use(pool, key);
            ticker.advance(Duration.ofSeconds(2));
        }
        pool.resize(2);
        assertThat(pool.stats().total()).isEqualTo(2);
        assertThat(pool.stats("c").total() + pool.stats("d").total()).isEqualTo(2);
    }

    @Test
    void batchesWorkPerKey() {
        KeyedPool<String, FakeConnection> pool = pool(builder());
        assertThat(pool.sendBatch("a", List.of(1, 2), (c, m) -> m * 10)).containsExactly(10, 20);
        BatchResult<Integer> result = pool.sendBatchParallel("b", List.of(1, 2, 3), (c, m) -> m);
        assertThat(result.successful()).containsExactly(1, 2, 3);
    }

    @Test
    void rejectsBadSizes() {
        assertThatThrownBy(() -> builder().maxTotal(2).maxPerKey(3).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("maxPerKey must be at most maxTotal (2), but was 3");
        assertThatThrownBy(() -> builder().maxPerKey(2).minIdlePerKey(3).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("minIdlePerKey must be at most maxPerKey (2), but was 3");
        assertThatThrownBy(() -> builder().minIdlePerKey(2).maxIdlePerKey(1).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessage("maxIdlePerKey must be at least minIdlePerKey (2), but was 1");
        assertThatThrownBy(() -> builder().maxTotal(0)).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> pool(builder()).acquire(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
