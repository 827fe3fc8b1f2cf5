package io.connpool.reliability;

import io.connpool.CallbackException;
import io.connpool.ConnectionFailedException;
import io.connpool.Pool;
import io.connpool.PoolStats;
import io.connpool.reliability.Ledger.Watched;
import io.connpool.samples.redis.RedisConnection;
import io.connpool.samples.redis.RedisConnectionFactory;
import io.connpool.testkit.RedisProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A real redis-server (the embedded-redis binary), killed, restarted, frozen and reset under the pool. */
class RedisFaultTest extends FaultTestSupport {

    private static final int SIZE = 8;
    /** Recovery bound without callers: keepalive notices the dead (250 ms), then at most one back-off (1 s). */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(3);

    private RedisProcess redis;

    @Override
    protected int maxSize() {
        return SIZE;
    }

    @BeforeEach
    void startRedis() {
        redis = RedisProcess.onFreePort();
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    private Pool<Watched<RedisConnection>> pool(Duration readTimeout) {
        Pool<Watched<RedisConnection>> pool = track(Pool.builder(ledger.watch(
                        new RedisConnectionFactory(redis.address(), Duration.ofMillis(500), readTimeout)))
                .name("redis").maxSize(SIZE).minIdle(SIZE).acquireTimeout(Duration.ofSeconds(1))
                .keepaliveInterval(Duration.ofMillis(250)).connectBackoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                .build());
        awaitIdle(pool, SIZE, Duration.ofSeconds(5));
        return pool;
    }

    @Test
    void serverKilledWithEveryConnectionInUseFailsThoseCallsAndRefillsAfterRestart() throws Exception {
        Pool<Watched<RedisConnection>> pool = pool(Duration.ofSeconds(2));
        CyclicBarrier allHolding = new CyclicBarrier(SIZE + 1);
        CountDownLatch killed = new CountDownLatch(1);
        List<Thread> holders = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            holders.add(started(() -> ledger.operate(pool, redis -> {
                allHolding.await();
                killed.await();
                return redis.get("k");
            })));
        }
        allHolding.await(5, TimeUnit.SECONDS);
        assertThat(pool.stats().inUse()).isEqualTo(SIZE);
        redis.kill();
        killed.countDown();
        for (Thread holder : holders) {
            holder.join(5000);
        }
        assertThat(ledger.failuresByType()).containsEntry("CallbackException", (long) SIZE);
        assertThat(pool.stats().destroyed()).as("broken connections are closed, not returned").isGreaterThanOrEqualTo(SIZE);

        long failStart = System.nanoTime();
        assertThatThrownBy(() -> pool.withConnection(watched -> watched.connection().ping()))
                .isInstanceOf(ConnectionFailedException.class).hasMessageContaining("redis");
        figure("redis killed, all 8 in use: 8/8 calls failed with CallbackException; next caller failed fast in %d ms",
                millisSince(failStart));

        long restarted = restartAndTime(pool);
        figure("redis killed, all 8 in use: refilled to min-idle 8 without callers %d ms after restart", restarted);
        assertThat(ledger.operate(pool, redis -> redis.command("SET", "k", "v"))).isTrue();
    }

    @Test
    void serverKilledWithEveryConnectionIdleCostsAtMostOneCallerADeadConnection() throws Exception {
        Pool<Watched<RedisConnection>> pool = pool(Duration.ofSeconds(2));
        redis.kill();
        int deadConnectionsLent = 0;
        for (int i = 0; i < 20; i++) {
            try {
                pool.withConnection(watched -> ledger.hold(watched, RedisConnection::ping));
            } catch (CallbackException e) {
                deadConnectionsLent++; // lent before anyone knew the server was gone
            } catch (ConnectionFailedException e) {
                assertThat(e).hasMessageContaining("redis");
            }
        }
        assertThat(deadConnectionsLent).as("a broken connection makes its idle siblings validated first")
                .isLessThanOrEqualTo(1);
        figure("redis killed, all 8 idle: %d of 20 sequential callers got a dead connection, the rest failed fast",
                deadConnectionsLent);
        figure("redis killed, all 8 idle: refilled to min-idle 8 without callers %d ms after restart", restartAndTime(pool));
    }

    @Test
    void restartedServerIsRefilledToMinIdleWithoutAnyCaller() throws Exception {
        Pool<Watched<RedisConnection>> pool = pool(Duration.ofSeconds(2));
        long createdBefore = pool.stats().created();
        redis.kill();
        await().atMost(Duration.ofSeconds(3)).until(() -> pool.stats().idle() == 0);
        long recovered = restartAndTime(pool);
        assertThat(pool.stats().created() - createdBefore).isGreaterThanOrEqualTo(SIZE);
        assertThat(pool.connections()).allSatisfy(c -> assertThat(c.useCount()).isZero());
        figure("redis restarted on the same port: back to min-idle 8 in %d ms with no caller (bound %d ms)",
                recovered, RECOVERY_BOUND.toMillis());
    }

    @Test
    void frozenServerIsCaughtByTheReadTimeoutAndByValidation() throws Exception {
        Pool<Watched<RedisConnection>> pool = pool(Duration.ofMillis(300));
        redis.freeze();
        try {
            long start = System.nanoTime();
            assertThatThrownBy(() -> pool.withConnection(watched -> ledger.hold(watched, c -> c.get("k"))))
                    .isInstanceOf(CallbackException.class).hasRootCauseInstanceOf(SocketTimeoutException.class);
            long timedOut = millisSince(start);
            assertThat(timedOut).isBetween(250L, 2000L);
            // keepalive PINGs the idle ones: each times out and is closed, none is lent to a caller
            await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 0);
            figure("redis frozen (SIGSTOP, half-open): call failed after %d ms (read timeout 300 ms); "
                    + "keepalive closed the %d idle connections without a caller", timedOut, SIZE - 1);
        } finally {
            redis.thaw();
        }
        long recovered = restartAndTimeWithoutRestart(pool);
        figure("redis thawed: back to min-idle 8 in %d ms", recovered);
        assertThat(ledger.operate(pool, c -> c.incr("n"))).isTrue();
    }

    @Test
    void connectionsResetByTheServerUnderLoadAreReplacedAndEveryCallIsAccounted() throws Exception {
        Pool<Watched<RedisConnection>> pool = pool(Duration.ofSeconds(2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            String key = "k" + t;
            workers.add(started(() -> {
                while (System.nanoTime() < deadline) {
                    ledger.operate(pool, c -> c.incr(key));
                }
            }));
        }
        int resets = 0;
        long killedConnections = 0;
        while (System.nanoTime() < deadline - TimeUnit.MILLISECONDS.toNanos(300)) {
            Thread.sleep(100);
            killedConnections += Faults.resetAllClients(redis);
            resets++;
        }
        for (Thread worker : workers) {
            worker.join(10_000);
        }
        PoolStats stats = pool.stats();
        assertThat(ledger.succeeded()).isPositive();
        assertThat(ledger.failed()).isPositive();
        assertThat(ledger.failuresByType().keySet()).containsOnly("CallbackException");
        figure("redis resets every client (%d times, %d connections) under 16 threads for 3 s: %s; pool created %d",
                resets, killedConnections, ledger, stats.created());
    }

    /** Restarts the killed server and returns the milliseconds until the pool is back at min-idle, unaided. */
    private long restartAndTime(Pool<?> pool) {
        redis.start();
        return restartAndTimeWithoutRestart(pool);
    }

    private long restartAndTimeWithoutRestart(Pool<?> pool) {
        long start = System.nanoTime();
        awaitIdle(pool, SIZE, RECOVERY_BOUND);
        return millisSince(start);
    }

    private static void awaitIdle(Pool<?> pool, int idle, Duration bound) {
        await().atMost(bound).pollInterval(Duration.ofMillis(5)).until(() -> pool.stats().idle() >= idle);
    }
}
