package io.connpool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The invariant checks can fail: each test here breaks one invariant on purpose and expects
 * {@link PoolInvariants#verify()} to name it. The checks run with a short bound, since what these
 * tests break never settles.
 */
class PoolInvariantsTest {

    private final PoolInvariants invariants = new PoolInvariants(Duration.ofMillis(300));
    private final FakeFactory factory = invariants.watch(new FakeFactory());

    @BeforeEach
    void install() {
        invariants.install();
    }

    @AfterEach
    void endTracking() {
        try {
            invariants.verify();
        } catch (AssertionError alreadyReported) {
            // each test asserts on its own verify(); this one only closes what a failed test left
        }
    }

    private Pool<FakeConnection> pool() {
        return invariants.track(Pool.builder(factory).name("checked").maxSize(2).build(), factory);
    }

    @Test
    void aPoolThatBehavesPassesEveryCheck() {
        Pool<FakeConnection> pool = pool();
        pool.withConnection(c -> c.id);
        try (Lease<FakeConnection> lease = pool.acquire()) {
            lease.connection().enter();
            lease.connection().exit();
        }
        invariants.verify();
        assertThat(pool.isClosed()).as("closed by the check").isTrue();
    }

    @Test
    void aConnectionHeldByTwoHoldersAtOnceIsReported() {
        try (Lease<FakeConnection> lease = pool().acquire()) {
            FakeConnection connection = lease.connection();
            connection.enter();
            assertThatThrownBy(connection::enter).isInstanceOf(AssertionError.class); // as a second holder would
            connection.exit();
        }
        assertThatThrownBy(invariants::verify).hasMessageContaining(
                "1 time(s) a connection had more holders at once than it allows");
    }

    @Test
    void aSharedConnectionOverItsCallLimitIsReported() {
        factory.holdersAllowed = 2;
        try (Lease<FakeConnection> lease = pool().acquire()) {
            FakeConnection connection = lease.connection();
            connection.enter();
            connection.enter();
            assertThatThrownBy(connection::enter).isInstanceOf(AssertionError.class);
            connection.exit();
            connection.exit();
        }
        assertThatThrownBy(invariants::verify).hasMessageContaining("more holders at once than it allows");
    }

    @Test
    void aConnectionClosedTwiceIsReported() throws Exception {
        Pool<FakeConnection> pool = pool();
        FakeConnection connection = pool.withConnection(c -> c);
        connection.close(); // behind the pool's back: the pool closes it a second time when it closes
        assertThatThrownBy(invariants::verify).hasMessageContaining("1 connection(s) closed twice");
    }

    @Test
    void countsThatDoNotAddUpAreReported() throws Exception {
        pool().withConnection(c -> c.id);
        FakeConnection stray = factory.connect(); // open, but no pool accounts for it
        assertThatThrownBy(invariants::verify)
                .hasMessageContaining(factory + " has 2 connection(s) open, but the pools that use it account for 1")
                .hasMessageContaining(factory + " still has 1 connection(s) open after every pool was closed");
        stray.close();
    }

    @Test
    void aLeaseLeftOpenIsReported() {
        pool().acquire();
        assertThatThrownBy(invariants::verify).hasMessageContaining(
                "pool 'checked' still lends 1 connection(s) and has 0 caller(s) waiting once the test is over");
    }

    @Test
    void aLeaseHeldOnPurposeIsNotReported() {
        pool().acquire();
        invariants.holdsLeasesOnPurpose();
        invariants.verify();
    }

    @Test
    void aPoolLeftOpenLeavesPoolThreadsThatAreReported() {
        Pool<FakeConnection> untracked = Pool.builder(new FakeFactory()).name("forgotten").build();
        try {
            assertThatThrownBy(invariants::verify).hasMessageContaining("pool thread(s) still alive")
                    .hasMessageContaining("pools of the JVM holding the background threads: 1");
        } finally {
            untracked.close();
        }
    }

    @Test
    void aPoolThreadThatDiedIsReported() throws Exception {
        Thread victim = new Thread(() -> {
            throw new IllegalStateException("killed by the test");
        }, "connpool-victim");
        victim.start();
        victim.join();
        assertThatThrownBy(invariants::verify).hasMessageContaining(
                "pool thread connpool-victim died of java.lang.IllegalStateException: killed by the test");
    }

    @Test
    void theRecorderIsRemovedAfterTheCheck() {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        PoolInvariants other = new PoolInvariants();
        other.install();
        assertThat(Thread.getDefaultUncaughtExceptionHandler()).isNotSameAs(before);
        other.verify();
        assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(before);
    }
}
