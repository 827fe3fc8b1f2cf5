package io.connpool;

import io.connpool.testlog.TestLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The examples of issue 18: code the pool does not own (a caller's filter, a listener, a factory's
 * validate and close, an executor) throws, hangs or never runs, and the pool keeps its connections
 * and its other callers. The hostile matrix tries every combination; these are the cases as found.
 */
class UserCodeGuardTest extends PoolTestSupport {

    /** Lets a test make the factory's validate and close misbehave; the rest is the FakeFactory's. */
    private final class Scripted implements ConnectionFactory<FakeConnection> {
        volatile Runnable onValidate = () -> { };
        volatile Runnable onClose = () -> { };

        @Override
        public FakeConnection connect() throws Exception {
            return factory.connect();
        }

        @Override
        public boolean validate(FakeConnection connection) {
            onValidate.run();
            return factory.validate(connection);
        }

        @Override
        public void close(FakeConnection connection) throws Exception {
            onClose.run();
            factory.close(connection);
        }
    }

    private final Scripted scripted = new Scripted();
    private final CountDownLatch hang = new CountDownLatch(1);

    @AfterEach
    void letHungCodeGo() {
        hang.countDown();
    }

    private Pool.Builder<FakeConnection> scriptedBuilder() {
        return Pool.builder((ConnectionFactory<FakeConnection>) scripted).name("test").acquireTimeout(Duration.ofSeconds(5));
    }

    private void hangUntilTheTestEnds() {
        try {
            hang.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int idOfNextConnection(Pool<FakeConnection> pool) {
        return pool.withConnection(c -> c.id);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    @Test
    void aFilterThatThrowsWhileItsCallerIsQueuedFailsOnlyThatCaller() throws Exception {
        Pool<FakeConnection> pool = pool(builder().maxSize(1));
        Lease<FakeConnection> held = pool.acquire();
        // matches while the connection is in use (so its caller queues), throws once it is idle
        Predicate<ConnectionInfo> hostile = info -> {
            if (info.state() == ConnectionState.IDLE) {
                throw new IllegalStateException("filter bug");
            }
            return true;
        };
        CompletableFuture<Object> filtered = CompletableFuture.supplyAsync(() -> pool.acquire(hostile, Duration.ofSeconds(10)));
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.stats().pending() == 1);
        CompletableFuture<Integer> plain = CompletableFuture.supplyAsync(() -> pool.withConnection(c -> c.id));
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.stats().pending() == 2);

        held.close(); // the releaser must not run, nor see, the queued caller's filter

        assertThat(plain.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(() -> filtered.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IllegalStateException.class);
        PoolStats stats = pool.stats();
        assertThat(stats.pending()).isZero();
        assertThat(stats.creating()).isZero();
        assertThat(idOfNextConnection(pool)).as("the next caller").isEqualTo(1);
    }

    @Test
    void aListenerThrowingOnEveryCheckoutIsWarnedAboutAtPowersOfTwoOnly() {
        PoolListener hostile = new PoolListener() {
            @Override
            public void onAcquired(long waitNanos) {
                throw new IllegalStateException("listener bug on acquire");
            }
        };
        Pool<FakeConnection> pool = pool(builder().maxSize(1).listener(hostile));
        for (int i = 0; i < 100; i++) {
            pool.acquire(Duration.ofSeconds(2)).close();
        }

        List<String> warnings = TestLog.sinceTestStarted().stream()
                .filter(r -> r.level() == Level.WARN && r.message().contains("Listener"))
                .map(TestLog.Record::message).toList();
        assertThat(warnings).hasSize(7);
        assertThat(warnings.get(0)).contains("threw from onAcquired").contains("2nd, 4th, 8th");
        assertThat(warnings.get(6)).contains("has thrown 64 times, this time from onAcquired");
    }

    @Test
    void aListenerThrowingACheckedExceptionNeverReachesTheCallerNorKeepsTheConnection() {
        PoolListener hostile = new PoolListener() {
            @Override
            public void onAcquired(long waitNanos) {
                sneakyThrow(new IOException("listener bug on acquire"));
            }

            @Override
            public void onReleased(long usageNanos) {
                sneakyThrow(new IOException("listener bug on release"));
            }
        };
        Pool<FakeConnection> pool = pool(builder().maxSize(1).listener(hostile));
        for (int i = 0; i < 3; i++) {
            try (Lease<FakeConnection> lease = pool.acquire(Duration.ofSeconds(2))) {
                assertThat(lease.connection().id).isEqualTo(1);
            }
        }
        assertThat(idOfNextConnection(pool)).isEqualTo(1);
        assertThat(pool.stats().inUse()).isZero();
        assertThat(pool.stats().idle()).isEqualTo(1);
    }

    @Test
    void aValidateThatThrowsAnErrorOnBorrowCountsAsInvalidAndTheCallerGetsAnotherConnection() {
        Pool<FakeConnection> pool = invariants.track(scriptedBuilder().maxSize(2).validateAfterInactivity(Duration.ZERO).build(), factory);
        pool.withConnection(c -> c.id);
        scripted.onValidate = () -> {
            scripted.onValidate = () -> { }; // once
            throw new AssertionError("validate bug");
        };
        assertThat(idOfNextConnection(pool)).as("a fresh connection replaces the one whose check threw").isEqualTo(2);
        assertThat(pool.stats().destroyed()).isEqualTo(1);
        assertThat(idOfNextConnection(pool)).isEqualTo(2);
    }

    @Test
    void aValidateThatHangsDoesNotHoldAcquirePastItsTimeout() throws Exception {
        Pool<FakeConnection> pool = invariants.track(scriptedBuilder().maxSize(1).validateAfterInactivity(Duration.ZERO).build(), factory);
        pool.withConnection(c -> c.id);
        scripted.onValidate = this::hangUntilTheTestEnds;

        CompletableFuture<Lease<FakeConnection>> acquire = CompletableFuture.supplyAsync(() -> pool.acquire(Duration.ofMillis(300)));

        // decided while validate still hangs (the latch opens only after the test)
        assertThatThrownBy(() -> acquire.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(PoolExhaustedException.class)
                .hasMessageContaining("validating connection 1");
        assertThat(hang.getCount()).as("validate still hangs").isEqualTo(1);
    }

    @Test
    void aConnectionWhoseValidationOutlivedItsCallerComesBackWhenTheValidationPasses() throws Exception {
        Pool<FakeConnection> pool = invariants.track(scriptedBuilder().maxSize(1).validateAfterInactivity(Duration.ZERO).build(), factory);
        pool.withConnection(c -> c.id);
        CountDownLatch slowCheck = new CountDownLatch(1);
        scripted.onValidate = () -> {
            try {
                slowCheck.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(100))).isInstanceOf(PoolExhaustedException.class);
        scripted.onValidate = () -> { };
        slowCheck.countDown();

        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.stats().idle() == 1);
        assertThat(idOfNextConnection(pool)).as("the same connection, validated late").isEqualTo(1);
        assertThat(pool.stats().destroyed()).isZero();
    }

    @Test
    void aValidateThatHangsPastTheValidationTimeoutClosesItsConnection() {
        Pool<FakeConnection> pool = invariants.track(scriptedBuilder().maxSize(1).validateAfterInactivity(Duration.ZERO)
                .validationTimeout(Duration.ofMillis(100)).build(), factory);
        pool.withConnection(c -> c.id);
        scripted.onValidate = () -> {
            scripted.onValidate = () -> { }; // the next connection's checks pass
            hangUntilTheTestEnds();
        };
        assertThat(idOfNextConnection(pool)).as("a new connection, the hung one given up").isEqualTo(2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> pool.stats().destroyed() == 1);
    }

    @Test
    void aCloseThatHangsDoesNotHoldPoolCloseWithGrace() throws Exception {
        Pool<FakeConnection> pool = invariants.track(scriptedBuilder().maxSize(2).build(), factory);
        pool.withConnection(c -> c.id);
        scripted.onClose = this::hangUntilTheTestEnds;

        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> pool.close(Duration.ofMillis(200)));

        closing.get(10, TimeUnit.SECONDS);
        assertThat(pool.isClosed()).isTrue();
        assertThat(hang.getCount()).as("close still hangs").isEqualTo(1);
        hang.countDown();
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(factory.live).hasValue(0));
    }

    @Test
    void anExecutorThatNeverRunsItsTasksDoesNotHoldABatch() {
        Pool<FakeConnection> pool = pool(builder().maxSize(4));
        Executor blackHole = task -> { }; // accepts and forgets
        BatchResult<Integer> result = pool.sendBatchParallel(List.of(1, 2, 3, 4, 5), (c, m) -> m * 10, blackHole);
        assertThat(result.successful()).containsExactlyInAnyOrder(10, 20, 30, 40, 50);
        assertThat(result.failed()).isEmpty();
    }

    @Test
    void anExecutorThatThrowsAnErrorLeavesTheWorkToTheCaller() {
        Pool<FakeConnection> pool = pool(builder().maxSize(4));
        AtomicInteger offered = new AtomicInteger();
        Executor broken = task -> {
            offered.incrementAndGet();
            throw new AssertionError("executor bug");
        };
        BatchResult<Integer> result = pool.sendBatchParallel(List.of(1, 2, 3), (c, m) -> m, broken);
        assertThat(result.successful()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(offered).hasValue(1);
    }

    @Test
    void aBrokenConnectionRuleThatThrowsAnErrorCountsTheConnectionBroken() {
        Pool<FakeConnection> pool = pool(builder().maxSize(1).brokenWhen(e -> {
            throw new AssertionError("rule bug");
        }));
        assertThatThrownBy(() -> pool.withConnection(c -> {
            throw new IllegalStateException("callback failed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(pool.stats().destroyed()).isEqualTo(1);
        assertThat(idOfNextConnection(pool)).isEqualTo(2);
    }

    @Test
    void anInterruptLeftByAListenerOnTheCallersThreadIsKeptForTheCaller() {
        Pool<FakeConnection> pool = pool(builder().maxSize(1).listener(new PoolListener() {
            @Override
            public void onAcquired(long waitNanos) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(idOfNextConnection(pool)).isEqualTo(1);
        assertThat(Thread.interrupted()).as("the caller's interrupt status").isTrue();
        assertThat(pool.stats().idle()).isEqualTo(1);
    }
}
