package io.connpool.tcp;

import io.connpool.testkit.EchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A socket counts its timeouts in int milliseconds, zero meaning "forever": a huge timeout becomes the
 * longest it can hold, a sub-millisecond one the shortest, never zero.
 */
class TcpTimeoutsTest {

    private final EchoServer server = EchoServer.onFreePort();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aForeverReadTimeoutIsTheLongestASocketTakes() throws Exception {
        TcpConnectionFactory factory = TcpConnectionFactory.to("127.0.0.1", server.port())
                .connectTimeout(ChronoUnit.FOREVER.getDuration()).readTimeout(ChronoUnit.FOREVER.getDuration()).build();
        try (TcpConnection connection = factory.connect()) {
            assertThat(connection.socket().getSoTimeout()).isEqualTo(Integer.MAX_VALUE);
        }
    }

    @Test
    void aSubMillisecondReadTimeoutIsOneMillisecondNotForever() throws Exception {
        TcpConnectionFactory factory = TcpConnectionFactory.to("127.0.0.1", server.port())
                .readTimeout(Duration.ofNanos(1)).build();
        try (TcpConnection connection = factory.connect()) {
            assertThat(connection.socket().getSoTimeout()).isEqualTo(1);
        }
    }

    @Test
    void aZeroReadTimeoutStillMeansForever() throws Exception {
        TcpConnectionFactory factory = TcpConnectionFactory.to("127.0.0.1", server.port()).readTimeout(Duration.ZERO).build();
        try (TcpConnection connection = factory.connect()) {
            assertThat(connection.socket().getSoTimeout()).isZero();
        }
    }
}
