package io.connpool;

/** The pool was closed before, or while, the caller waited. */
public class PoolClosedException extends PoolException {

    public PoolClosedException(String message) {
        super(message);
    }
}
