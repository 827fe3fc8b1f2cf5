package io.connpool;

/**
 * Events of a pool, for metrics and logs. Every method has an empty default: implement what you need.
 *
 * <p>{@link #onAcquired} and {@link #onReleased} run on the caller's thread for every checkout: keep
 * them cheap. An exception thrown by a listener is logged and never reaches the pool's caller.
 * Durations are in nanoseconds so that reporting them allocates nothing.
 */
public interface PoolListener {

    /** A connection was opened; {@code connectNanos} is how long the factory took. */
    default void onConnectionCreated(ConnectionInfo connection, long connectNanos) {
    }

    /** The factory failed to open a connection. */
    default void onConnectionFailed(Throwable error, long connectNanos) {
    }

    /** A connection was closed by the pool. */
    default void onConnectionDestroyed(ConnectionInfo connection, DestroyReason reason) {
    }

    /** A caller got a connection after waiting {@code waitNanos} (0 when one was idle). */
    default void onAcquired(long waitNanos) {
    }

    /**
     * A caller gave a connection back after holding it {@code usageNanos}: every release, or a sample
     * of them when {@link #samplesUsage} says so.
     */
    default void onReleased(long usageNanos) {
    }

    /**
     * Whether {@link #onReleased} may see a sample of the releases instead of every one (default:
     * false, every one). Timing a checkout takes two reads of the system clock, which cost more than
     * the checkout itself; with every listener of a pool answering true, the pool times at most one
     * checkout per connection per tick of its clock (a quarter of a second), and every checkout of a
     * quiet pool. A timer's mean and percentiles survive the sampling; its count and its max are the
     * sample's. Asked once, when the pool is built.
     */
    default boolean samplesUsage() {
        return false;
    }

    /** A caller gave up waiting after {@code waitNanos}. */
    default void onAcquireTimeout(long waitNanos) {
    }

    /** A callback ({@code withConnection}, a batch message) finished; {@code success} is false when it threw. */
    default void onOperation(boolean success) {
    }

    /** A lease has been held longer than the leak-detection threshold. */
    default void onLeakSuspected(ConnectionInfo connection, long heldNanos) {
    }

    /** The creation circuit breaker changed state; {@code lastError} is the failure that opened it, if any. */
    default void onCircuitStateChanged(CircuitState from, CircuitState to, Throwable lastError) {
    }
}
