package io.connpool;

/** A connection could not be opened; the cause is the factory's exception. */
public class ConnectionFailedException extends PoolException {

    public ConnectionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
