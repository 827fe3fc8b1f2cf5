package io.connpool;

/** No connection matched the filter given to {@code acquire(filter)} within the timeout. */
public class NoMatchingConnectionException extends PoolException {

    public NoMatchingConnectionException(String message) {
        super(message);
    }
}
