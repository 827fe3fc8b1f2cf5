package io.connpool;

/**
 * The state of a pool's connection-creation circuit breaker.
 *
 * <p>After a creation fails the circuit opens: no connection is dialed until the back-off delay has
 * passed (it doubles, with jitter, after each further failure), and callers that would need a new
 * connection fail at once instead of waiting. Then it half-opens: one probe is dialed; its success
 * closes the circuit, its failure opens it again.
 */
public enum CircuitState {
    CLOSED, OPEN, HALF_OPEN
}
