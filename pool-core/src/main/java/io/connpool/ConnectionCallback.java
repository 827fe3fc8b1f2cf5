package io.connpool;

/**
 * Work done with a pooled connection. The connection belongs to the callback only while it runs:
 * do not keep it after returning.
 *
 * @param <C> the connection type
 * @param <T> the result type
 */
@FunctionalInterface
public interface ConnectionCallback<C, T> {

    T doWithConnection(C connection) throws Exception;
}
