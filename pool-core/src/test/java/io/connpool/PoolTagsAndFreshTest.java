package io.connpool;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolTagsAndFreshTest extends PoolTestSupport {

    @Test
    void filterPicksTheConnectionWithTheTag() {
        Pool<FakeConnection> pool = pool(builder());
        try (Lease<FakeConnection> a = pool.acquire(); Lease<FakeConnection> b = pool.acquire()) {
            b.tag("role", "primary");
            a.tag("role", "replica");
        }
        try (Lease<FakeConnection> lease = pool.acquire(c -> "primary".equals(c.tag("role")))) {
            assertThat(lease.connection().id).isEqualTo(2);
            assertThat(lease.tags()).containsEntry("role", "primary");
        }
    }

    @Test
    void builderTagsAreOnEveryConnection() {
        Pool<FakeConnection> pool = pool(builder().tag("zone", "eu-1"));
        pool.withConnection(c -> c.id);
        assertThat(pool.connections()).singleElement().satisfies(c -> assertThat(c.tags()).containsEntry("zone", "eu-1"));
    }

    @Test
    void filterMatchingNoLiveConnectionFailsAtOnce() {
        Pool<FakeConnection> pool = pool(builder());
        pool.withConnection(c -> c.id);
        assertThatThrownBy(() -> pool.acquire(c -> "nope".equals(c.tag("role")), Duration.ofSeconds(10)))
                .isInstanceOf(NoMatchingConnectionException.class)
                .hasMessageContaining("no connection matching the filter (1 live connections considered)");
    }

    @Test
    void filterMatchingOnlyABusyConnectionWaitsForIt() throws Exception {
        Pool<FakeConnection> pool = pool(builder());
        Lease<FakeConnection> busy = pool.acquire().tag("role", "primary");
        pool.withConnection(c -> c.id); // an idle connection without the tag
        assertThatThrownBy(() -> pool.acquire(c -> "primary".equals(c.tag("role")), Duration.ofMillis(100)))
                .isInstanceOf(PoolExhaustedException.class).hasMessageContaining("matching the filter");
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                return;
            }
            busy.close();
        });
        releaser.start();
        int id = pool.withConnection(c -> "primary".equals(c.tag("role")), c -> c.id);
        assertThat(id).isEqualTo(1);
        releaser.join();
    }

    @Test
    void acquireFreshAlwaysDialsANewConnection() {
        Pool<FakeConnection> pool = pool(builder());
        pool.withConnection(c -> c.id);
        try (Lease<FakeConnection> lease = pool.acquireFresh()) {
            assertThat(lease.connection().id).isEqualTo(2);
        }
        assertThat(pool.stats().total()).isEqualTo(2);
    }

    @Test
    void acquireFreshAtMaxSizeReplacesTheLeastRecentlyUsedIdleConnection() {
        Pool<FakeConnection> pool = pool(builder().maxSize(2));
        try (Lease<FakeConnection> a = pool.acquire(); Lease<FakeConnection> b = pool.acquire()) {
            assertThat(a.connection().id + b.connection().id).isEqualTo(3);
        }
        try (Lease<FakeConnection> lease = pool.acquireFresh()) {
            assertThat(lease.connection().id).isEqualTo(3);
        }
        assertThat(pool.stats().total()).isEqualTo(2);
        assertThat(factory.maxLive).hasValueLessThanOrEqualTo(2);
    }

    @Test
    void acquireFreshFailsWithTheDialError() {
        Pool<FakeConnection> pool = pool(builder());
        factory.goDown();
        assertThatThrownBy(pool::acquireFresh).isInstanceOf(ConnectionFailedException.class)
                .hasCauseInstanceOf(java.net.ConnectException.class);
        assertThat(pool.stats().total()).isZero();
    }
}
