package io.connpool;

import io.connpool.internal.ExclusivePool;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Lifetimes, idle timeout, validation and leak detection, on a ticker the test moves by hand. */
class PoolLifetimeTest extends PoolTestSupport {

    private final ManualTicker ticker = new ManualTicker();
    private final List<String> destroyed = new CopyOnWriteArrayList<>();

    private Pool.Builder<FakeConnection> timed() {
        return builder().ticker(ticker).listener(new PoolListener() {
            @Override
            public void onConnectionDestroyed(ConnectionInfo connection, DestroyReason reason) {
                destroyed.add(connection.id() + ":" + reason);
            }
        });
    }

    private static void housekeep(Pool<?> pool) {
        ((ExclusivePool<?>) pool).engine().runHousekeeping();
    }

    private static void use(Pool<FakeConnection> pool, int connections) {
        List<Lease<FakeConnection>> leases = new java.util.ArrayList<>();
        for (int i = 0; i < connections; i++) {
            leases.add(pool.acquire());
        }
        for (Lease<FakeConnection> lease : leases) {
            lease.close();
        }
    }

    @Test
    void idleConnectionsAboveMinIdleCloseAfterTheIdleTimeout() {
        Pool<FakeConnection> pool = pool(timed().minIdle(1).idleTimeout(Duration.ofMinutes(10)));
        use(pool, 3);
        ticker.advance(Duration.ofMinutes(9));
        housekeep(pool);
        assertThat(pool.stats().total()).isEqualTo(3);
        ticker.advance(Duration.ofMinutes(1));
        housekeep(pool);
        assertThat(pool.stats().total()).as("minIdle stays").isEqualTo(1);
        assertThat(destroyed).hasSize(2).allMatch(d -> d.endsWith(":IDLE"));
    }

    @Test
    void idleTimeoutZeroKeepsIdleConnectionsForever() {
        Pool<FakeConnection> pool = pool(timed().idleTimeout(Duration.ZERO).maxLifetime(Duration.ZERO));
        use(pool, 2);
        ticker.advance(Duration.ofDays(30));
        housekeep(pool);
        assertThat(pool.stats().total()).isEqualTo(2);
    }

    @Test
    void connectionPastItsLifetimeIsRetiredWhenReturnedNeverUnderItsUser() {
        Pool<FakeConnection> pool = pool(timed().maxLifetime(Duration.ofMinutes(30)).idleTimeout(Duration.ZERO));
        Lease<FakeConnection> lease = pool.acquire();
        ticker.advance(Duration.ofMinutes(31));
        housekeep(pool);
        assertThat(lease.connection().closed).as("never yanked from its user").isFalse();
        assertThat(pool.stats().inUse()).isEqualTo(1);
        FakeConnection connection = lease.connection();
        lease.close();
        assertThat(destroyed).containsExactly(connection.id + ":EXPIRED");
        await().atMost(10, TimeUnit.SECONDS).until(() -> connection.closed); // closed on a worker
    }

    @Test
    void idleConnectionPastItsLifetimeIsClosedByHousekeeping() {
        Pool<FakeConnection> pool = pool(timed().maxLifetime(Duration.ofMinutes(30)).idleTimeout(Duration.ZERO).minIdle(1));
        await().until(() -> pool.stats().idle() == 1);
        ticker.advance(Duration.ofMinutes(30));
        housekeep(pool);
        assertThat(destroyed).containsExactly("1:EXPIRED");
        await().until(() -> pool.stats().idle() == 1); // replaced to keep minIdle
        assertThat(factory.opened).hasValue(2);
    }

    @Test
    void lifetimesVaryByUpToTwoAndAHalfPercentSoConnectionsDoNotExpireTogether() {
        Pool<FakeConnection> pool = pool(timed().maxSize(40).maxLifetime(Duration.ofMinutes(40)).idleTimeout(Duration.ZERO));
        use(pool, 40);
        ticker.advance(Duration.ofMinutes(39)); // 2.5 % of 40 min = 1 min: nobody expires before 39 min
        housekeep(pool);
        assertThat(destroyed).isEmpty();
        ticker.advance(Duration.ofSeconds(30)); // about half of them by now
        housekeep(pool);
        assertThat(destroyed.size()).as("expired in the first half of the last minute").isBetween(1, 39);
        ticker.advance(Duration.ofSeconds(30));
        housekeep(pool);
        assertThat(destroyed).hasSize(40);
    }

    @Test
    void validationOnBorrowRunsOnlyAfterInactivity() {
        Pool<FakeConnection> pool = pool(timed().validateOnBorrow(true).validateAfterInactivity(Duration.ofSeconds(2)));
        use(pool, 1);
        use(pool, 1);
        assertThat(factory.validations).as("recently used: trusted").hasValue(0);
        ticker.advance(Duration.ofSeconds(2));
        use(pool, 1);
        assertThat(factory.validations).hasValue(1);
    }

    @Test
    void deadIdleConnectionIsReplacedTransparentlyOnBorrow() {
        Pool<FakeConnection> pool = pool(timed().validateOnBorrow(true).validateAfterInactivity(Duration.ofSeconds(1)));
        use(pool, 1);
        factory.all.get(0).dead = true;
        ticker.advance(Duration.ofSeconds(5));
        try (Lease<FakeConnection> lease = pool.acquire()) {
            assertThat(lease.connection().id).isEqualTo(2);
        }
        assertThat(destroyed).containsExactly("1:INVALID");
    }

    @Test
    void keepaliveValidatesIdleConnectionsAndClosesDeadOnes() {
        Pool<FakeConnection> pool = pool(timed().keepaliveInterval(Duration.ofMinutes(1)).idleTimeout(Duration.ZERO));
        use(pool, 2);
        factory.all.get(1).dead = true;
        ticker.advance(Duration.ofSeconds(59));
        housekeep(pool);
        assertThat(factory.validations).hasValue(0);
        ticker.advance(Duration.ofSeconds(1));
        housekeep(pool);
        assertThat(destroyed).containsExactly("2:INVALID");
        // A dead connection makes its siblings suspect: the sweep that follows validates the first
        // one again, though the pass that found the dead one had just validated it.
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(factory.validations).hasValue(3);
            assertThat(pool.stats().idle()).isEqualTo(1);
        });
    }

    @Test
    void leaseHeldPastTheThresholdIsReportedOnceMarkedAndCounted() {
        Pool<FakeConnection> pool = pool(timed().leakDetectionThreshold(Duration.ofSeconds(10)));
        Lease<FakeConnection> lease = pool.acquire();
        ticker.advance(Duration.ofSeconds(9));
        housekeep(pool);
        assertThat(pool.stats().leaks()).isZero();
        ticker.advance(Duration.ofSeconds(1));
        housekeep(pool);
        housekeep(pool);
        assertThat(pool.stats().leaks()).as("reported once").isEqualTo(1);
        assertThat(pool.connections()).singleElement().satisfies(c -> assertThat(c.leakSuspected()).isTrue());
        lease.close(); // late, but back: a slow holder
        assertThat(pool.connections()).singleElement().satisfies(c -> assertThat(c.leakSuspected()).isFalse());
        assertThat(pool.stats().idle()).isEqualTo(1);
    }

    @Test
    void leakReportCarriesTheStackOfTheAcquire() {
        List<Long> held = new CopyOnWriteArrayList<>();
        Pool<FakeConnection> pool = pool(timed().leakDetectionThreshold(Duration.ofSeconds(1)).listener(new PoolListener() {
            @Override
            public void onLeakSuspected(ConnectionInfo connection, long heldNanos) {
                held.add(heldNanos);
            }
        }));
        Lease<FakeConnection> lease = pool.acquire();
        ticker.advance(Duration.ofSeconds(3));
        housekeep(pool);
        assertThat(held).containsExactly(Duration.ofSeconds(3).toNanos());
        lease.close();
    }

    @Test
    void maxIdleClosesSurplusIdleConnections() {
        Pool<FakeConnection> pool = pool(timed().maxSize(6).maxIdle(2).idleTimeout(Duration.ZERO));
        use(pool, 5);
        assertThat(pool.stats().idle()).isEqualTo(2);
        assertThat(destroyed.stream().map(d -> d.split(":")[1]).collect(Collectors.toSet())).containsExactly("IDLE");
    }

    @Test
    void aBrokenConnectionMakesItsSiblingsValidatedBeforeTheirNextUse() {
        Pool<FakeConnection> pool = pool(timed().validateAfterInactivity(Duration.ofMinutes(1)));
        use(pool, 3);
        ticker.advance(Duration.ofSeconds(1));
        factory.all.forEach(c -> c.dead = true); // the server restarted under the pool
        try {
            pool.withConnection(c -> {
                throw new java.io.IOException("connection reset");
            });
        } catch (CallbackException expected) {
            // the first caller meets the outage
        }
        // recently used, so they would be trusted; but a sibling just broke: validate, replace
        try (Lease<FakeConnection> lease = pool.acquire()) {
            assertThat(lease.connection().id).isEqualTo(4);
        }
        // the third is found dead by us or by the sweep the broken one triggered, on a worker thread
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(destroyed).hasSize(3).allMatch(d -> d.endsWith("BROKEN") || d.endsWith("INVALID")));
    }

    @Test
    void aBrokenConnectionTriggersASweepOfTheIdleOnes() {
        Pool<FakeConnection> pool = pool(timed().validateOnBorrow(false));
        use(pool, 3);
        ticker.advance(Duration.ofSeconds(1));
        factory.all.get(1).dead = true;
        factory.all.get(2).dead = true;
        try (Lease<FakeConnection> lease = pool.acquire()) {
            lease.invalidate();
        }
        housekeep(pool); // the sweep also runs in the background at once; here it surely ran
        assertThat(pool.connections()).as("no dead connection left idle")
                .allSatisfy(c -> assertThat(factory.all.get((int) c.id() - 1).dead).isFalse());
        assertThat(destroyed).hasSizeGreaterThanOrEqualTo(2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> factory.live.get() == pool.stats().total()); // closes on workers
    }
}
