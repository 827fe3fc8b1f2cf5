package io.connpool;

/**
 * A callback given to the pool ({@code withConnection}, a batch message) threw a checked exception, or
 * a sequential batch stopped at a failed message. The cause is what the callback threw.
 * Unchecked exceptions of {@code withConnection} callbacks pass through unwrapped.
 */
public class CallbackException extends PoolException {

    private final int index;

    public CallbackException(String message, Throwable cause, int index) {
        super(message, cause);
        this.index = index;
    }

    /** The index of the failed message in a batch, or -1 outside a batch. */
    public int index() {
        return index;
    }
}
