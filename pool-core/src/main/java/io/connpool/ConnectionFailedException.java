package io.connpool;

/**
 * A connection could not be opened; the cause is the factory's exception. When a message in that
 * exception's chain carried credentials (a URI with user info, as a driver may echo the URL it was
 * given), the cause is instead a stand-in with the same stack trace whose message names the original
 * type and shows the user info as {@code ******}: the pool never hands credentials on (see {@link Secrets}).
 */
public class ConnectionFailedException extends PoolException {

    public ConnectionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
