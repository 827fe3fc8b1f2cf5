package io.connpool;

/**
 * No connection could be handed out in time, or too many callers were already waiting. The message
 * holds the pool's state at that moment; when creating connections had been failing, the cause is the
 * last creation error, so "pool too small" reads differently from "server down".
 */
public class PoolExhaustedException extends PoolException {

    private final transient PoolStats stats;

    public PoolExhaustedException(String message, PoolStats stats, Throwable cause) {
        super(message, cause);
        this.stats = stats;
    }

    /** The pool's figures when the acquisition gave up. */
    public PoolStats stats() {
        return stats;
    }
}
