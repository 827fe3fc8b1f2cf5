package io.connpool.samples.echo;

import io.connpool.CircuitState;
import io.connpool.Pool;
import io.connpool.PoolStats;
import io.connpool.StressReport;
import io.connpool.StressTest;
import io.connpool.tcp.TcpConnection;
import io.connpool.tcp.TcpConnectionFactory;
import io.connpool.testkit.EchoServer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * connpool in one screen: a pool of TCP connections to an echo server this program starts itself,
 * a burst of load, and an outage the pool rides out.
 */
public final class EchoDemo {

    private EchoDemo() {
    }

    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    static PoolStats run(PrintStream out) throws Exception {
        try (EchoServer server = EchoServer.onFreePort()) {
            out.println("Echo server listening on 127.0.0.1:" + server.port());
            TcpConnectionFactory factory = TcpConnectionFactory.to("127.0.0.1", server.port())
                    .connectTimeout(Duration.ofSeconds(2))
                    .readTimeout(Duration.ofSeconds(2))
                    .build();
            Pool<TcpConnection> pool = Pool.builder(factory)
                    .name("echo")
                    .maxSize(4)
                    .minIdle(2)
                    .acquireTimeout(Duration.ofSeconds(2))
                    .connectBackoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                    .build();
            try {
                out.println("Reply: " + pool.withConnection(c -> echo(c, "hello, pool")));

                StressReport report = StressTest.run(pool, 8, 2_000, c -> echo(c, "ping"));
                out.println("Load:  " + report);

                server.stop();
                out.println("Server stopped. A call now: " + outcome(pool));
                // the broken connection made the pool sweep the others; its attempts to replace them fail
                waitUntil(() -> pool.stats().total() == 0 && pool.stats().circuit() != CircuitState.CLOSED);
                PoolStats down = pool.stats();
                out.println("The pool swept its dead connections and retries with back-off: circuit " + down.circuit()
                        + ", last error " + down.lastError());
                server.start();
                long back = System.nanoTime();
                waitUntil(() -> pool.stats().idle() >= 2);
                out.printf("Server restarted; pool back at min-idle after %d ms without any caller's help%n",
                        (System.nanoTime() - back) / 1_000_000);
                out.println("Reply: " + pool.withConnection(c -> echo(c, "welcome back")));
                PoolStats stats = pool.stats();
                out.println("Stats: " + stats);
                return stats;
            } finally {
                pool.close(Duration.ofSeconds(1));
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static String outcome(Pool<TcpConnection> pool) {
        try {
            return "answered " + pool.withConnection(c -> echo(c, "anyone there?"));
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    static String echo(TcpConnection connection, String text) throws IOException {
        byte[] line = (text + "\n").getBytes(StandardCharsets.UTF_8);
        connection.out().write(line);
        connection.out().flush();
        byte[] reply = connection.in().readNBytes(line.length);
        if (reply.length < line.length) {
            throw new IOException("the server closed the connection");
        }
        return new String(reply, StandardCharsets.UTF_8).trim();
    }
}
