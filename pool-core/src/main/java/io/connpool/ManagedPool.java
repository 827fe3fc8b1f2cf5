package io.connpool;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The faces of a pool that do not hand out connections: watching it ({@link #stats()},
 * {@link #connections()}) and managing it (evict, drain, resize, pause, close). Every kind of pool is a
 * {@code ManagedPool}; the actuator endpoint and the health indicator work through this interface.
 */
public interface ManagedPool extends AutoCloseable {

    /** The pool's name, used in logs, errors, metrics and the actuator. */
    String name();

    /** A snapshot of the pool's figures. */
    PoolStats stats();

    /**
     * The settings in effect, named as the builder names them: every setting of this kind of pool (and
     * only those), with defaults filled in and sizes as resized since; durations as {@link java.time.Duration},
     * {@code maxPending} {@code Integer.MAX_VALUE} when unset (no limit: callers wait up to
     * {@code acquireTimeout}), then those of a factory that is a {@link DescribedFactory}. Tags are
     * shown as they are: mask those named like secrets (see {@link Secrets}) before displaying them.
     * Empty for a pool that does not tell.
     */
    default Map<String, Object> settings() {
        return Map.of();
    }

    /** A snapshot of every live connection. */
    List<ConnectionInfo> connections();

    /** Closes every idle connection now (the pool refills to {@code minIdle}); returns how many. */
    int evictIdle();

    /**
     * Replaces every connection: idle ones are closed now, in-use ones when they are returned. The
     * pool keeps serving and refills with new connections.
     */
    void drain();

    /**
     * Changes the maximum size. Growing lets waiting callers get new connections at once; shrinking
     * closes surplus idle connections now and surplus in-use ones as they are returned.
     */
    void resize(int maxSize);

    /** Stops handing out connections: callers wait (up to their timeout) until {@link #resume()}. */
    void pause();

    /** Ends a {@link #pause()}: waiting callers are served in arrival order. */
    void resume();

    boolean isPaused();

    boolean isClosed();

    /**
     * Closes the pool: waiting callers fail with {@link PoolClosedException}, idle connections are
     * closed now, in-use ones when they are returned. Errors from closing connections are thrown
     * together, as suppressed exceptions of one {@link PoolException}. Calling it again does nothing.
     */
    @Override
    void close();

    /**
     * Like {@link #close()}, but waits up to {@code grace} for in-use connections to be returned, then
     * closes those still out under their holders.
     */
    void close(Duration grace);
}
