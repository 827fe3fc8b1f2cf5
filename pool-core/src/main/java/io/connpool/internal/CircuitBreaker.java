package io.connpool.internal;

import io.connpool.CircuitState;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Guards connection creation. Closed: dial freely. After a failure: open for a back-off delay that
 * starts at {@code initialNanos}, doubles with each consecutive failure up to {@code maxNanos}, and
 * is jittered (between half and all of the nominal delay) so that many pools do not retry in step.
 * When the delay has passed, exactly one caller wins {@link #tryStartCreation} and dials the probe
 * (half-open); its outcome closes or re-opens the circuit.
 *
 * <p>All methods are synchronized: they run once per dial, never on the acquire/release fast path.
 */
final class CircuitBreaker {

    private final long initialNanos;
    private final long maxNanos;

    private CircuitState state = CircuitState.CLOSED;
    private int consecutiveFailures;
    private long nominalDelay;
    private long retryAt;
    private Throwable lastError;
    private long lastErrorAt;

    CircuitBreaker(long initialNanos, long maxNanos) {
        // Held to FOREVER_NANOS: a retry time is now + delay, compared with later readings by subtraction.
        this.initialNanos = Saturating.clamp(initialNanos);
        this.maxNanos = Saturating.clamp(maxNanos);
    }

    /** May a new connection be dialed now? In the half-open state, true for one caller only. */
    synchronized boolean tryStartCreation(long now) {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (now - retryAt >= 0) {
                    state = CircuitState.HALF_OPEN;
                    return true;
                }
                return false;
            default:
                return false; // half-open: the probe is in flight
        }
    }

    /** True while callers that need a new connection should fail at once. */
    synchronized boolean isFailingFast(long now) {
        return state == CircuitState.OPEN && now - retryAt < 0;
    }

    /** Records a successful dial; returns the state it left. */
    synchronized CircuitState onSuccess() {
        CircuitState previous = state;
        state = CircuitState.CLOSED;
        consecutiveFailures = 0;
        nominalDelay = 0;
        return previous;
    }

    /** Records a failed dial and opens the circuit; returns the state it left. */
    synchronized CircuitState onFailure(Throwable error, long now) {
        CircuitState previous = state;
        consecutiveFailures++;
        lastError = error;
        lastErrorAt = now;
        nominalDelay = nominalDelay == 0 ? initialNanos : Saturating.doubled(nominalDelay, maxNanos);
        long jittered = nominalDelay / 2 + ThreadLocalRandom.current().nextLong(nominalDelay / 2 + 1);
        retryAt = now + jittered;
        state = CircuitState.OPEN;
        return previous;
    }

    synchronized CircuitState state() {
        return state;
    }

    synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Nanoseconds until the next attempt may start; 0 when it may start now. */
    synchronized long nanosUntilRetry(long now) {
        return state == CircuitState.OPEN ? Math.max(0, retryAt - now) : 0;
    }

    synchronized Throwable lastError() {
        return lastError;
    }

    synchronized long lastErrorAt() {
        return lastErrorAt;
    }

    /** The last error while creation is failing (circuit not closed), else null. */
    synchronized Throwable currentError() {
        return state == CircuitState.CLOSED ? null : lastError;
    }
}
