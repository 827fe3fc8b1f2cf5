package io.connpool;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

class PoolFailureTest extends PoolTestSupport {

    @Test
    void factoryFailureReachesTheWaiterAsConnectionFailedWithTheCause() {
        factory.goDown();
        Pool<FakeConnection> pool = pool(builder().name("prices").acquireTimeout(Duration.ofSeconds(30)));
        long start = System.nanoTime();
        assertThatThrownBy(pool::acquire)
                .isInstanceOf(ConnectionFailedException.class)
                .hasCauseInstanceOf(ConnectException.class)
                .hasMessageContaining("Pool 'prices' cannot open connections")
                .hasMessageContaining("Connection refused (fake)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no pointless wait").isLessThan(Duration.ofSeconds(5));
        assertThat(pool.stats().createFailures()).isEqualTo(1);
        assertThat(pool.stats().circuit()).isEqualTo(CircuitState.OPEN);
        assertThat(pool.stats().lastError()).contains("Connection refused (fake)");
        assertThat(pool.stats().lastErrorAt()).isNotNull();
    }

    @Test
    void whileTheCircuitIsOpenCallersFailFastWithoutDialing() {
        factory.goDown();
        ManualTicker ticker = new ManualTicker();
        Pool<FakeConnection> pool = pool(builder().ticker(ticker).connectBackoff(Duration.ofSeconds(10), Duration.ofSeconds(60)));
        assertThatThrownBy(pool::acquire).isInstanceOf(ConnectionFailedException.class);
        int dials = factory.connectCalls.get();
        for (int i = 0; i < 50; i++) {
            assertThatThrownBy(pool::acquire).isInstanceOf(ConnectionFailedException.class)
                    .hasMessageContaining("next attempt in");
        }
        assertThat(factory.connectCalls).as("a pool must not hammer a server that is down").hasValue(dials);
    }

    @Test
    void aCallerFailedFastIsToldHowLongUntilTheNextAttempt() {
        factory.goDown();
        ManualTicker ticker = new ManualTicker();
        Pool<FakeConnection> pool = pool(builder().ticker(ticker).connectBackoff(Duration.ofSeconds(10), Duration.ofSeconds(60)));
        assertThatThrownBy(pool::acquire).isInstanceOf(ConnectionFailedException.class);
        ticker.advance(Duration.ofSeconds(2));

        ConnectionFailedException failedFast = catchThrowableOfType(ConnectionFailedException.class, pool::acquire);

        // the back-off is jittered between half and all of 10 s, and 2 s of it have passed
        assertThat(failedFast.retryAfter()).hasValueSatisfying(retryAfter ->
                assertThat(retryAfter).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(8)));
    }

    @Test
    void afterTheBackoffOneProbeGoesThroughAndItsSuccessClosesTheCircuit() {
        factory.goDown();
        ManualTicker ticker = new ManualTicker();
        Pool<FakeConnection> pool = pool(builder().ticker(ticker).revive(false)
                .connectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8)));
        assertThatThrownBy(pool::acquire).isInstanceOf(ConnectionFailedException.class);
        factory.recover();
        ticker.advance(Duration.ofSeconds(1));
        try (Lease<FakeConnection> lease = pool.acquire()) {
            assertThat(lease.connection()).isNotNull();
        }
        assertThat(pool.stats().circuit()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void backoffDoublesWithJitterUpToTheMaximum() {
        factory.goDown();
        ManualTicker ticker = new ManualTicker();
        Pool<FakeConnection> pool = pool(builder().ticker(ticker).revive(false)
                .connectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(4)));
        List<Long> waits = new ArrayList<>();
        assertThatThrownBy(pool::acquire).isInstanceOf(ConnectionFailedException.class);
        for (int failure = 0; failure < 5; failure++) {
            long waited = 0;
            // advance in 50 ms steps until the circuit lets a probe through (and it fails again)
            int dials = factory.connectCalls.get();
            while (factory.connectCalls.get() == dials) {
                ticker.advance(Duration.ofMillis(50));
                waited += 50;
                runQuietly(pool::acquire);
            }
            waits.add(waited);
        }
        // nominal delays 1, 2, 4, 4, 4 s; jitter keeps each between half and all of it
        assertThat(waits.get(0)).isBetween(500L, 1_000L);
        assertThat(waits.get(1)).isBetween(1_000L, 2_000L);
        assertThat(waits.subList(2, 5)).allSatisfy(w -> assertThat(w).isBetween(2_000L, 4_000L));
    }

    @Test
    void halfOpenLetsExactlyOneProbeThrough() throws Exception {
        factory.goDown();
        ManualTicker ticker = new ManualTicker();
        Pool<FakeConnection> pool = pool(builder().ticker(ticker).revive(false).maxConnecting(4)
                .connectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThatThrownBy(pool::acquire).isInstanceOf(ConnectionFailedException.class);
        factory.recover();
        factory.hold = new java.util.concurrent.CountDownLatch(1);
        ticker.advance(Duration.ofSeconds(2));
        int before = factory.connectCalls.get();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Thread t = new Thread(() -> runQuietly(() -> pool.withConnection(c -> c.id)));
            t.start();
            callers.add(t);
        }
        await().until(() -> pool.stats().pending() == 6);
        assertThat(factory.connectCalls.get() - before).as("dials while half-open").isEqualTo(1);
        assertThat(pool.stats().circuit()).isEqualTo(CircuitState.HALF_OPEN);
        factory.hold.countDown();
        for (Thread t : callers) {
            t.join(10_000);
        }
        assertThat(pool.stats().circuit()).isEqualTo(CircuitState.CLOSED);
        assertThat(pool.stats().successfulOperations()).isEqualTo(6);
    }

    @Test
    void exhaustionWhileCreationFailsCarriesTheCreationErrorAsCause() {
        Pool<FakeConnection> pool = pool(builder().maxSize(2).revive(false));
        Lease<FakeConnection> held = pool.acquire();
        factory.goDown();
        assertThatThrownBy(pool::acquire).isInstanceOf(ConnectionFailedException.class);
        pool.resize(1); // at the cap now: callers wait for a return, and time out
        assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(100)))
                .isInstanceOf(PoolExhaustedException.class)
                .hasMessageContaining("(total=1, in-use=1, idle=0, waiting=0, max=1)")
                .hasMessageContaining("opening connections is failing")
                .hasCauseInstanceOf(ConnectException.class);
        held.close();
    }

    @Test
    void reviveBringsThePoolBackToMinIdleWithoutACaller() {
        Pool<FakeConnection> pool = pool(builder().minIdle(3).maxSize(5)
                .connectBackoff(Duration.ofMillis(20), Duration.ofMillis(100)));
        await().until(() -> pool.stats().idle() == 3);
        factory.goDown();
        factory.all.forEach(c -> c.dead = true);
        pool.evictIdle();
        await().until(() -> pool.stats().createFailures() >= 2);
        assertThat(pool.stats().total()).isZero();
        factory.recover();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 3);
        assertThat(pool.stats().circuit()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void refillAfterAnOutageIsSpreadByMaxConnecting() {
        Pool<FakeConnection> pool = pool(builder().minIdle(20).maxSize(20).maxConnecting(2)
                .connectBackoff(Duration.ofMillis(20), Duration.ofMillis(50)));
        await().until(() -> pool.stats().idle() == 20);
        factory.goDown();
        pool.evictIdle();
        await().until(() -> pool.stats().createFailures() >= 2);
        factory.maxDialing.set(0);
        factory.recover();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 20);
        assertThat(factory.maxDialing).as("dials at once when the server came back").hasValueLessThanOrEqualTo(2);
    }

    @Test
    void withoutReviveThePoolRefillsOnlyOnDemand() {
        Pool<FakeConnection> pool = pool(builder().minIdle(2).revive(false)
                .connectBackoff(Duration.ofMillis(10), Duration.ofMillis(10)));
        await().until(() -> pool.stats().idle() == 2);
        factory.goDown();
        pool.evictIdle();
        await().until(() -> pool.stats().createFailures() >= 1);
        factory.recover();
        int dials = factory.connectCalls.get();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> factory.connectCalls.get() == dials);
        int id = pool.withConnection(c -> c.id);
        assertThat(id).isPositive();
    }

    @Test
    void factoryReturningNullIsAFailedCreation() {
        factory.returnNull = true;
        Pool<FakeConnection> pool = pool(builder());
        assertThatThrownBy(pool::acquire).isInstanceOf(ConnectionFailedException.class)
                .hasRootCauseInstanceOf(NullPointerException.class)
                .hasMessageContaining("returned null");
        assertThat(pool.stats().total()).isZero();
    }

    @Test
    void circuitTransitionsAreReportedToListeners() {
        List<String> transitions = new CopyOnWriteArrayList<>();
        factory.goDown();
        ManualTicker ticker = new ManualTicker();
        Pool<FakeConnection> pool = pool(builder().ticker(ticker).revive(false)
                .connectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .listener(new PoolListener() {
                    @Override
                    public void onCircuitStateChanged(CircuitState from, CircuitState to, Throwable lastError) {
                        transitions.add(from + "->" + to);
                    }
                }));
        runQuietly(pool::acquire);
        factory.recover();
        ticker.advance(Duration.ofSeconds(1));
        pool.withConnection(c -> c.id);
        assertThat(transitions).containsExactly("CLOSED->OPEN", "HALF_OPEN->CLOSED");
    }
}
