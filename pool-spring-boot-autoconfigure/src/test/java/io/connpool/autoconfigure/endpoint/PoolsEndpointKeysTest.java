package io.connpool.autoconfigure.endpoint;

import io.connpool.CircuitState;
import io.connpool.ConnectionFailedException;
import io.connpool.KeyedPool;
import io.connpool.PoolRegistry;
import io.connpool.autoconfigure.PoolCondition;
import io.connpool.autoconfigure.endpoint.PoolsEndpoint.KeyDescriptor;
import io.connpool.autoconfigure.endpoint.PoolsEndpoint.PoolDescriptor;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A keyed pool with one dead destination among live ones: the pool is UP (it serves the others) and
 * that key is shown DOWN, with its circuit and its last error, on the endpoint and in the health details.
 */
class PoolsEndpointKeysTest {

    /** Long enough that a dead key's back-off, and so the key, outlives any test. */
    private static final Duration BACKOFF = Duration.ofHours(1);

    /** Holds dials to keys starting with "slow" until released. */
    private final CountDownLatch slowDials = new CountDownLatch(1);

    private final KeyedPool<String, Object> pool = KeyedPool.<String, Object>builder(key -> {
        if (key.startsWith("dead")) {
            throw new ConnectException("Connection refused: " + key);
        }
        if (key.startsWith("slow")) {
            slowDials.await();
        }
        return "connection to " + key;
    }).name("backends").connectBackoff(BACKOFF, BACKOFF.multipliedBy(2)).build();

    private final PoolsEndpoint endpoint = new PoolsEndpoint(new PoolRegistry(Map.of("backends", pool)), null);

    @AfterEach
    void close() {
        slowDials.countDown();
        pool.close();
    }

    private void use(String key) {
        pool.withConnection(key, c -> c);
    }

    private void fail(String key) {
        assertThatThrownBy(() -> use(key)).isInstanceOf(ConnectionFailedException.class);
    }

    @Test
    void aKeyedPoolWithOneDeadKeyIsUpAndShowsThatKeyDown() {
        use("live-a:7000");
        use("live-b:7000");
        fail("dead:7000");

        PoolDescriptor shown = endpoint.pool("backends");

        assertThat(shown.status()).isEqualTo("UP");
        KeyDescriptor dead = shown.keys().get("dead:7000");
        assertThat(dead.status()).isEqualTo("DOWN");
        assertThat(dead.healthy()).isFalse();
        assertThat(dead.circuit()).isEqualTo(CircuitState.OPEN);
        assertThat(dead.lastError()).contains("Connection refused: dead:7000");
        assertThat(shown.keys().get("live-a:7000").status()).isEqualTo("UP");
        assertThat(shown.keys().get("live-a:7000").circuit()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void downKeysAreListedFirst() {
        use("a-live:7000");
        fail("dead:7000");

        assertThat(endpoint.pool("backends").keys()).containsOnlyKeys("dead:7000", "a-live:7000")
                .extractingFromEntries(Map.Entry::getKey).first().isEqualTo("dead:7000");
    }

    @Test
    void theSummaryOfAKeyedPoolCountsItsDownKeysBesideItsHealth() {
        use("live:7000");
        fail("dead:7000");

        PoolsEndpoint.PoolSummary summary = endpoint.pools().pools().get("backends");

        assertThat(summary.healthy()).isTrue();
        assertThat(summary.keys()).isEqualTo(2);
        assertThat(summary.keysDown()).isEqualTo(1);
    }

    @Test
    void theHealthOfAKeyedPoolWithOneDeadKeyIsUpAndNamesThatKey() {
        use("live:7000");
        fail("dead:7000");

        PoolCondition condition = PoolCondition.of(pool);

        assertThat(condition.status()).isEqualTo(PoolCondition.Status.UP);
        assertThat(condition.details()).containsEntry("keys", 2).containsEntry("keysDown", 1).doesNotContainKey("circuit");
        assertThat(condition.details().get("downKeys")).asInstanceOf(InstanceOfAssertFactories.map(String.class, String.class))
                .containsOnlyKeys("dead:7000").extractingByKey("dead:7000").asString()
                .startsWith("no live connection, circuit OPEN").contains("Connection refused: dead:7000");
    }

    @Test
    void aKeyedPoolWhoseEveryKeyIsDeadIsDown() {
        fail("dead-1:7000");
        fail("dead-2:7000");

        assertThat(PoolCondition.of(pool).status()).isEqualTo(PoolCondition.Status.DOWN);
        assertThat(endpoint.pool("backends").healthy()).isFalse();
    }

    @Test
    void aKeyedPoolIsNotDownWhileAKeyWithNoConnectionYetIsStillDialing() throws Exception {
        fail("dead:7000");
        Thread caller = new Thread(() -> use("slow:7000"));
        caller.start();
        await().atMost(10, SECONDS).until(() -> pool.stats("slow:7000").creating() == 1);

        assertThat(pool.stats().total()).as("no live connection anywhere").isZero();
        assertThat(PoolCondition.of(pool).status()).isEqualTo(PoolCondition.Status.UP);
        assertThat(PoolCondition.of(pool).details()).containsEntry("keysDown", 1);

        slowDials.countDown();
        caller.join(SECONDS.toMillis(10));
    }

    @Test
    void aKeyedPoolThatKnowsNoKeyYetIsUp() {
        assertThat(PoolCondition.of(pool).status()).isEqualTo(PoolCondition.Status.UP);
    }
}
