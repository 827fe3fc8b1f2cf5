package io.connpool.samples.redis;

/**
 * Redis answered with an error ({@code -ERR ...}, {@code -WRONGTYPE ...}). The command failed, the
 * connection is fine: this is not an {@code IOException}, so the pool keeps the connection.
 */
public class RedisErrorReply extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RedisErrorReply(String message) {
        super(message);
    }
}
