package io.connpool.autoconfigure.readme;

import io.connpool.KeyedPool;
import io.connpool.Lease;
import io.connpool.Pool;
import io.connpool.PoolStats;
import io.connpool.Routing;
import io.connpool.SharedPool;
import io.connpool.autoconfigure.readme.ReadmeSupport.Channel;
import io.connpool.autoconfigure.readme.ReadmeSupport.Quote;
import io.connpool.tcp.TcpConnection;
import io.connpool.tcp.TcpConnectionFactory;

import java.time.Duration;

import static io.connpool.autoconfigure.readme.ReadmeSupport.openChannel;
import static io.connpool.autoconfigure.readme.ReadmeSupport.readLine;
import static io.connpool.autoconfigure.readme.ReadmeSupport.talk;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * README.md's core examples, as written there (ReadmeExamplesTest checks they stay the same), inside
 * methods so that they compile; they are not run: they dial addresses that do not exist here.
 */
final class CoreExamples {

    private CoreExamples() {
    }

    // README, "Using Pool"
    static void usingPool() throws Exception {
        Pool<TcpConnection> pool = Pool.builder(TcpConnectionFactory.to("localhost", 7000).build())
                .name("echo")
                .maxSize(8)
                .minIdle(2)
                .acquireTimeout(Duration.ofSeconds(2))
                .build();

        // The callback gets a connection; it goes back to the pool afterwards, or is closed if the
        // callback threw an IOException (the "broken" rule, configurable with brokenWhen).
        String reply = pool.withConnection(conn -> {
            conn.out().write("ping\n".getBytes(UTF_8));
            conn.out().flush();
            return readLine(conn.in());
        });

        // Or hold a lease yourself. close() is idempotent; invalidate() destroys a broken connection.
        try (Lease<TcpConnection> lease = pool.acquire()) {
            talk(lease.connection());
        }

        pool.close(Duration.ofSeconds(5)); // waits up to 5 s for leases to come back
    }

    // README, "Many destinations: KeyedPool"
    static void keyedPool(ReadmeSupport.Balancer balancer) {
        KeyedPool<String, TcpConnection> backends = KeyedPool.builder(
                        (String address) -> TcpConnectionFactory.to(address).build().connect())
                .name("backends")
                .maxPerKey(4)        // per destination
                .maxTotal(64)        // all destinations together, counting connections being dialed
                .minIdlePerKey(1)    // keep every destination used so far warm
                .build();

        String reply = backends.withConnection(balancer.pick(), conn -> talk(conn));
        PoolStats one = backends.stats("10.0.0.7:9000");   // per key
        PoolStats all = backends.stats();                  // totals; maxSize = maxTotal
    }

    // README, "Connections that serve many calls: SharedPool"
    static void sharedPool() {
        SharedPool<Channel> channels = SharedPool.builder(() -> openChannel("prices.internal:443"))
                .name("prices")
                .maxSize(4).minIdle(4)              // open all four at once: calls spread over them
                .maxCallsPerConnection(64)          // calls running on one connection at once
                .routing(Routing.LEAST_IN_FLIGHT)   // or ROUND_ROBIN, RANDOM
                .build();

        Quote quote = channels.call(channel -> channel.quote("EURUSD"));   // call = withConnection
    }
}
