package io.connpool.samples.redis;

import io.connpool.ConnectionFactory;
import io.connpool.tcp.TcpConnectionFactory;

import java.io.IOException;
import java.time.Duration;

/**
 * Opens {@link RedisConnection}s over TCP and checks them for the pool: validation is a look at the
 * socket plus a PING, so a server that was killed or restarted is noticed before a caller borrows a
 * dead connection.
 */
public final class RedisConnectionFactory implements ConnectionFactory<RedisConnection> {

    private final TcpConnectionFactory tcp;
    private final String address;

    public RedisConnectionFactory(String address, Duration connectTimeout, Duration readTimeout) {
        this.tcp = TcpConnectionFactory.to(address).connectTimeout(connectTimeout).readTimeout(readTimeout).build();
        this.address = address;
    }

    /** Connections to {@code host:port} with a 1 s connect and a 2 s read timeout. */
    public static RedisConnectionFactory to(String address) {
        return new RedisConnectionFactory(address, Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    /** Opens a connection and PINGs it: a server that accepts but does not answer is not connected. */
    @Override
    public RedisConnection connect() throws IOException {
        RedisConnection connection = new RedisConnection(tcp.connect());
        try {
            connection.ping();
            return connection;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public boolean validate(RedisConnection connection) throws IOException {
        return connection.isAlive() && "PONG".equals(connection.ping());
    }

    @Override
    public String toString() {
        return "redis://" + address;
    }
}
