package io.connpool;

import io.connpool.internal.SharedConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SharedPoolTest {

    @RegisterExtension
    final PoolInvariants invariants = new PoolInvariants();

    private final FakeChannelFactory factory = new FakeChannelFactory();
    private final List<FakeChannel> channels = factory.channels;
    private final Set<Integer> executed = factory.executed;
    private final ManualTicker ticker = new ManualTicker();

    /** A builder whose channels the invariants hold to {@code maxCallsPerConnection} calls at once. */
    private SharedPool.Builder<FakeChannel> builder(int maxCallsPerConnection) {
        factory.callsAllowed = maxCallsPerConnection;
        return SharedPool.builder(factory).name("shared").acquireTimeout(Duration.ofSeconds(10))
                .maxCallsPerConnection(maxCallsPerConnection);
    }

    /** The default of 100 calls per connection. */
    private SharedPool.Builder<FakeChannel> builder() {
        return builder(100);
    }

    private SharedPool<FakeChannel> pool(SharedPool.Builder<FakeChannel> builder) {
        return invariants.track(builder.build(), factory);
    }

    @AfterEach
    void noRequestRanTwice() {
        assertThat(FakeChannel.EXECUTED_TWICE).as("requests that ran twice").isEmpty();
    }

    @Test
    void manyCallsShareOneConnectionUpToTheLimit() throws Exception {
        SharedPool<FakeChannel> pool = pool(builder(3).maxSize(2));
        List<Lease<FakeChannel>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(pool.acquire());
        }
        assertThat(calls).extracting(l -> l.connection().id).containsOnly(1);
        assertThat(pool.stats()).extracting(PoolStats::total, PoolStats::inFlight, PoolStats::inUse).containsExactly(1, 3, 1);
        assertThat(pool.connections()).singleElement().satisfies(c -> assertThat(c.inFlight()).isEqualTo(3));
        calls.add(pool.acquire()); // the first is full: a second connection opens
        assertThat(calls.get(3).connection().id).isEqualTo(2);
        calls.forEach(Lease::close);
        assertThat(pool.stats().inFlight()).isZero();
        assertThat(channels).noneMatch(c -> c.closed);
    }

    @Test
    void inFlightPerConnectionNeverExceedsTheLimitUnderSixteenThreads() throws Exception {
        SharedPool<FakeChannel> pool = pool(builder(4).maxSize(3).maxPending(64));
        AtomicInteger request = new AtomicInteger();
        List<Throwable> failures = PoolStressTest.runThreads(16, 2_000, i -> pool.call(c -> c.call(request.incrementAndGet())));
        assertThat(failures).isEmpty();
        assertThat(channels).allSatisfy(c -> assertThat(c.maxInFlight).hasValueLessThanOrEqualTo(4));
        assertThat(factory.maxLive).hasValueLessThanOrEqualTo(3);
        assertThat(executed).hasSize(16 * 2_000);
        assertThat(pool.stats().successfulOperations()).isEqualTo(16 * 2_000);
    }

    @Test
    void aConnectionKilledMidStressLosesNoCallAndThePoolRecovers() throws Exception {
        SharedPool<FakeChannel> pool = pool(builder(2).maxSize(3).minIdle(3).maxPending(64)
                .connectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)));
        await().until(() -> pool.stats().idle() == 3);
        AtomicInteger request = new AtomicInteger();
        AtomicInteger succeeded = new AtomicInteger();
        Map<String, AtomicInteger> failedBy = new ConcurrentHashMap<>();
        CountDownLatch halfway = new CountDownLatch(8 * 500);
        Thread killer = new Thread(() -> {
            try {
                halfway.await();
            } catch (InterruptedException e) {
                return;
            }
            channels.get(0).kill(); // its server closes it: running and new calls on it fail
        });
        killer.start();
        List<Throwable> unexpected = PoolStressTest.runThreads(16, 1_000, i -> {
            try {
                pool.call(c -> c.call(request.incrementAndGet()));
                succeeded.incrementAndGet();
            } catch (CallbackException e) {
                assertThat(e).hasCauseInstanceOf(IOException.class).hasMessageContaining("was closed by the server");
                failedBy.computeIfAbsent(e.getCause().getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
            } finally {
                halfway.countDown();
            }
        });
        killer.join();
        assertThat(unexpected).isEmpty();
        int failed = failedBy.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(succeeded.get() + failed).as("every call succeeded once or failed").isEqualTo(16 * 1_000);
        assertThat(failed).as("calls that met the dead channel").isPositive().isLessThan(16 * 1_000 / 10);
        assertThat(executed).hasSize(succeeded.get());
        await().atMost(10, TimeUnit.SECONDS).until(() -> channels.get(0).closed); // the dead channel, on a worker
        await().until(() -> pool.stats().idle() == 3); // revived
        // Only the dead channel left the pool. (Not checked by id: a channel's own id and the pool's
        // id for it may differ, since the first dials finish in either order.)
        assertThat(pool.stats().destroyed()).isEqualTo(1);
    }

    @Test
    void waitingCallsAreServedByAnotherConnectionWhenOneDies() throws Exception {
        SharedPool<FakeChannel> pool = pool(builder(1).maxSize(2).minIdle(2));
        await().until(() -> pool.stats().idle() == 2);
        Lease<FakeChannel> first = pool.acquire();
        Lease<FakeChannel> second = pool.acquire();
        CountDownLatch served = new CountDownLatch(1);
        new Thread(() -> {
            pool.call(c -> c.call(1));
            served.countDown();
        }).start();
        await().until(() -> pool.stats().pending() == 1);
        first.connection().kill();
        first.invalidate(); // the waiting call does not wait for the dead connection
        assertThat(served.await(5, TimeUnit.SECONDS)).isTrue();
        second.close();
    }

    @Test
    void aBrokenConnectionTakesNoNewCallButItsRunningCallsFinish() {
        SharedPool<FakeChannel> pool = pool(builder(5).maxSize(2));
        Lease<FakeChannel> running = pool.acquire();
        Lease<FakeChannel> broken = pool.acquire();
        assertThat(broken.connection()).isSameAs(running.connection());
        broken.invalidate();
        try (Lease<FakeChannel> next = pool.acquire()) {
            assertThat(next.connection().id).as("a new call goes elsewhere").isEqualTo(2);
        }
        assertThat(running.connection().closed).as("still serving its running call").isFalse();
        assertThat(pool.connections()).anySatisfy(c -> assertThat(c.state()).isEqualTo(ConnectionState.RETIRING));
        FakeChannel channel = running.connection();
        running.close(); // the last call ends: now it closes, on a worker
        await().atMost(10, TimeUnit.SECONDS).until(() -> channel.closed);
    }

    @Test
    void anExpiredConnectionTakesNoNewCallAndClosesWhenItsLastCallEnds() {
        SharedPool<FakeChannel> pool = pool(builder(5).ticker(ticker).maxSize(2)
                .maxLifetime(Duration.ofMinutes(1)).idleTimeout(Duration.ZERO));
        Lease<FakeChannel> longCall = pool.acquire();
        ticker.advance(Duration.ofMinutes(2));
        ((SharedConnectionPool<FakeChannel>) pool).engine().runHousekeeping();
        assertThat(pool.connections()).singleElement().satisfies(c -> assertThat(c.state()).isEqualTo(ConnectionState.RETIRING));
        int id = pool.call(c -> c.id);
        assertThat(id).as("the expired connection takes no new call").isEqualTo(2);
        assertThat(longCall.connection().closed).isFalse();
        FakeChannel expired = longCall.connection();
        longCall.close();
        assertThat(pool.stats().total()).isEqualTo(1);
        await().atMost(10, TimeUnit.SECONDS).until(() -> expired.closed); // on a worker
    }

    @Test
    void withoutReviveAnExpiredConnectionIsDroppedNotReplaced() {
        SharedPool<FakeChannel> pool = pool(builder().ticker(ticker).minIdle(1).revive(false)
                .maxLifetime(Duration.ofMinutes(1)).idleTimeout(Duration.ZERO));
        await().until(() -> pool.stats().idle() == 1);
        ticker.advance(Duration.ofMinutes(2));
        ((SharedConnectionPool<FakeChannel>) pool).engine().runHousekeeping();
        assertThat(pool.stats().total()).isZero();
    }

    @Test
    void roundRobinSpreadsCallsEvenly() throws Exception {
        SharedPool<FakeChannel> pool = pool(builder(50).maxSize(4).minIdle(4)
                .routing(Routing.ROUND_ROBIN).maxPending(64));
        await().until(() -> pool.stats().idle() == 4);
        for (int i = 0; i < 4_000; i++) {
            pool.call(c -> c.calls.incrementAndGet());
        }
        assertThat(channels).extracting(c -> c.calls.get()).containsOnly(1_000);
        channels.forEach(c -> c.calls.set(0));
        List<Throwable> failures = PoolStressTest.runThreads(8, 1_000, i -> pool.call(c -> c.calls.incrementAndGet()));
        assertThat(failures).isEmpty();
        // 8 threads: the counter still spreads calls evenly, within 10 % of 2,000 each
        assertThat(channels).allSatisfy(c -> assertThat(c.calls.get()).isBetween(1_800, 2_200));
    }

    @ParameterizedTest
    @EnumSource(Routing.class)
    void everyRoutingFillsOnlyConnectionsWithRoom(Routing routing) throws Exception {
        SharedPool<FakeChannel> pool = pool(builder(2).maxSize(3).minIdle(3).routing(routing));
        await().until(() -> pool.stats().idle() == 3);
        List<Lease<FakeChannel>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(pool.acquire());
        }
        assertThat(calls.stream().collect(Collectors.groupingBy(l -> l.connection().id, Collectors.counting())))
                .containsOnlyKeys(1, 2, 3).allSatisfy((id, n) -> assertThat(n).isEqualTo(2L));
        assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(50))).isInstanceOf(PoolExhaustedException.class);
        calls.forEach(Lease::close);
    }

    @Test
    void leastInFlightPicksTheQuietestConnection() {
        SharedPool<FakeChannel> pool = pool(builder(10).maxSize(3).minIdle(3)
                .routing(Routing.LEAST_IN_FLIGHT));
        await().until(() -> pool.stats().idle() == 3);
        List<Lease<FakeChannel>> calls = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            calls.add(pool.acquire());
        }
        calls.stream().filter(l -> l.connection().id == 2).limit(2).forEach(Lease::close);
        try (Lease<FakeChannel> next = pool.acquire()) {
            assertThat(next.connection().id).isEqualTo(2);
        }
        calls.forEach(Lease::close);
    }

    @Test
    void filterPicksTaggedConnectionsAndFailsClearlyWhenNoneMatch() {
        SharedPool<FakeChannel> pool = pool(builder().maxSize(2).minIdle(2));
        await().until(() -> pool.stats().idle() == 2);
        FakeChannel tagged;
        try (Lease<FakeChannel> lease = pool.acquire()) {
            lease.tag("region", "eu");
            tagged = lease.connection();
        }
        // Compared as objects: a channel's own id and the pool's id for it may differ (two dials
        // finish in either order).
        FakeChannel picked = pool.withConnection(c -> "eu".equals(c.tag("region")), c -> c);
        assertThat(picked).isSameAs(tagged);
        assertThatThrownBy(() -> pool.withConnection(c -> "us".equals(c.tag("region")), c -> c.id))
                .isInstanceOf(NoMatchingConnectionException.class);
    }

    @Test
    void callsTaggingOneConnectionAtOnceKeepEveryTag() throws Exception {
        SharedPool<FakeChannel> pool = pool(builder(64).maxSize(1).minIdle(1).maxPending(64));
        await().until(() -> pool.stats().idle() == 1);
        AtomicInteger tags = new AtomicInteger();
        List<Throwable> failures = PoolStressTest.runThreads(8, 200, i -> {
            try (Lease<FakeChannel> lease = pool.acquire()) {
                lease.tag("t" + tags.incrementAndGet(), "x");
            }
        });
        assertThat(failures).isEmpty();
        assertThat(pool.connections()).singleElement().satisfies(c -> assertThat(c.tags()).hasSize(tags.get()));
    }

    @Test
    void oneCallPerConnectionRunsCallsOneAfterAnother() throws Exception {
        SharedPool<FakeChannel> pool = pool(builder(1).maxSize(1).maxPending(16));
        AtomicInteger request = new AtomicInteger();
        List<Throwable> failures = PoolStressTest.runThreads(8, 300, i -> pool.call(c -> c.call(request.incrementAndGet())));
        assertThat(failures).isEmpty();
        assertThat(channels).singleElement().satisfies(c -> assertThat(c.maxInFlight).hasValue(1));
    }

    @Test
    void connectAndDisconnectAreReportedToListeners() {
        List<String> events = new CopyOnWriteArrayList<>();
        SharedPool<FakeChannel> pool = pool(builder().listener(new PoolListener() {
            @Override
            public void onConnectionCreated(ConnectionInfo connection, long connectNanos) {
                events.add("connect " + connection.id());
            }

            @Override
            public void onConnectionDestroyed(ConnectionInfo connection, DestroyReason reason) {
                events.add("disconnect " + connection.id() + " " + reason);
            }
        }));
        assertThatThrownBy(() -> pool.call(c -> {
            throw new IOException("goaway");
        })).isInstanceOf(CallbackException.class);
        assertThat(events).containsExactly("connect 1", "disconnect 1 BROKEN");
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> SharedPool.builder(factory).maxCallsPerConnection(0)).isInstanceOf(InvalidConfigException.class)
                .hasMessage("maxCallsPerConnection must be at least 1, but was 0");
        assertThatThrownBy(() -> builder().routing(null)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("ROUND_ROBIN, LEAST_IN_FLIGHT, RANDOM");
    }
}
