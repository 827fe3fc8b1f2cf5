package io.connpool;

import java.time.Duration;
import java.util.Optional;

/**
 * A connection could not be opened; the cause is the factory's exception. When a message in that
 * exception's chain carried credentials (a URI with user info, as a driver may echo the URL it was
 * given), the cause is instead a stand-in with the same stack trace whose message names the original
 * type and shows the user info as {@code ******}: the pool never hands credentials on (see {@link Secrets}).
 */
public class ConnectionFailedException extends PoolException {

    private final Duration retryAfter;

    public ConnectionFailedException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /**
     * @param retryAfter how long until the pool dials again (its circuit breaker is open and fails
     *                   callers fast until then), or {@code null} if it does not know
     */
    public ConnectionFailedException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /**
     * How long, from when this was thrown, until the pool tries to open a connection again; empty when
     * the pool did not say (a dial that failed on its own, outside an open circuit).
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
