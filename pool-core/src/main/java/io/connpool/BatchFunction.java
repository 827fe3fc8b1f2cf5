package io.connpool;

/**
 * The per-message work of a batch: send {@code message} over {@code connection} and return the reply.
 *
 * @param <C> the connection type
 * @param <M> the message type
 * @param <R> the result type
 */
@FunctionalInterface
public interface BatchFunction<C, M, R> {

    R apply(C connection, M message) throws Exception;
}
