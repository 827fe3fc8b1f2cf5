package io.connpool;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolListenerTest extends PoolTestSupport {

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final PoolListener recorder = new PoolListener() {
        @Override
        public void onConnectionCreated(ConnectionInfo connection, long connectNanos) {
            events.add("created " + connection.id());
        }

        @Override
        public void onConnectionFailed(Throwable error, long connectNanos) {
            events.add("failed " + error.getMessage());
        }

        @Override
        public void onConnectionDestroyed(ConnectionInfo connection, DestroyReason reason) {
            events.add("destroyed " + connection.id() + " " + reason);
        }

        @Override
        public void onAcquired(long waitNanos) {
            events.add("acquired");
        }

        @Override
        public void onReleased(long usageNanos) {
            events.add("released");
        }

        @Override
        public void onAcquireTimeout(long waitNanos) {
            events.add("timeout");
        }

        @Override
        public void onOperation(boolean success) {
            events.add(success ? "ok" : "error");
        }
    };

    @Test
    void reportsTheLifeOfAConnection() {
        Pool<FakeConnection> pool = pool(builder().maxSize(1).listener(recorder));
        pool.withConnection(c -> c.id);
        assertThatThrownBy(() -> pool.withConnection(c -> {
            throw new java.io.IOException("reset");
        })).isInstanceOf(CallbackException.class);
        try (Lease<FakeConnection> held = pool.acquire()) {
            assertThatThrownBy(() -> pool.acquire(Duration.ofMillis(10))).isInstanceOf(PoolExhaustedException.class);
        }
        assertThat(events).containsExactly(
                "created 1", "acquired", "ok", "released",
                "acquired", "error", "released", "destroyed 1 BROKEN",
                "created 2", "acquired", "timeout", "released");
    }

    @Test
    void aThrowingListenerNeverReachesTheCaller() {
        PoolListener broken = new PoolListener() {
            @Override
            public void onAcquired(long waitNanos) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onConnectionCreated(ConnectionInfo connection, long connectNanos) {
                throw new IllegalStateException("listener bug");
            }
        };
        Pool<FakeConnection> pool = pool(builder().listener(broken).listener(recorder));
        int id = pool.withConnection(c -> c.id);
        assertThat(id).isEqualTo(1);
        assertThat(events).as("the next listener still hears").contains("created 1", "acquired");
    }
}
