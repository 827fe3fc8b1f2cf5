package io.connpool.autoconfigure.web;

import io.connpool.Pool;
import io.connpool.PoolException;

import java.net.ConnectException;
import java.time.Duration;

/**
 * Pools put, before a request, into each state in which they cannot give a connection. Time is frozen
 * for the failing pool, so its circuit stays open for the whole test whatever the machine's load.
 */
final class FailingPools {

    /** What the failing factory says: a driver echoing the URL it was given, password and all. */
    static final String LEAKY_ERROR = "cannot reach redis://admin:hunter2@db.internal:6379";

    private FailingPools() {
    }

    /** One connection, lent out for good: the next caller waits its acquire timeout and gives up. */
    static Pool<Object> exhausted() {
        Pool<Object> pool = Pool.builder(Object::new).name("orders").maxSize(1)
                .acquireTimeout(Duration.ofMillis(50)).build();
        pool.acquire(Duration.ofSeconds(30)); // its dial may take longer than 50 ms on a loaded machine
        return pool;
    }

    /** Paused: callers wait for a resume that does not come before their timeout. */
    static Pool<Object> paused() {
        Pool<Object> pool = Pool.builder(Object::new).name("reports").acquireTimeout(Duration.ofMillis(50)).build();
        pool.pause();
        return pool;
    }

    /** Every dial fails; after the first, the circuit is open and callers fail at once. */
    static Pool<Object> down() {
        Pool<Object> pool = Pool.builder(() -> {
                    throw new ConnectException(LEAKY_ERROR);
                }).name("billing").ticker(() -> 0L)
                .connectBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30)).build();
        try {
            pool.withConnection(connection -> connection);
        } catch (PoolException expected) {
            // the failed dial that opens the circuit
        }
        return pool;
    }

    static Pool<Object> closed() {
        Pool<Object> pool = Pool.builder(Object::new).name("archive").build();
        pool.close();
        return pool;
    }

    /** Healthy, with nothing idle, so that a filter finds no connection. */
    static Pool<Object> healthy() {
        return Pool.builder(Object::new).name("search").build();
    }
}
