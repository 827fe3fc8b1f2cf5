package io.connpool.benchmarks;

import io.connpool.SharedPool;
import io.connpool.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;

/**
 * Suite 5, real server, multiplexed: GET round trips from 8 and 32 threads over ONE connection shared by
 * all of them. connpool's {@code SharedPool} of one multiplexed RESP connection
 * ({@link MultiplexedRedisConnection}: a lock for writes, a reader thread matching replies) against one
 * Lettuce connection's synchronous API (Netty underneath).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RedisSharedBenchmark
 * </pre>
 */
public class RedisSharedBenchmark extends RealServerBenchmark {

    @Param({"connpool-shared", "lettuce"})
    public String peer;

    private RedisProcess redis;
    private SharedPool<MultiplexedRedisConnection> shared;
    private RedisClient lettuceClient;
    private StatefulRedisConnection<String, String> lettuceConnection;
    private RedisCommands<String, String> lettuce;

    @Setup(Level.Trial)
    public void start() throws Exception {
        redis = RedisProcess.onFreePort();
        if (peer.equals("connpool-shared")) {
            shared = SharedPool.builder(() -> new MultiplexedRedisConnection("127.0.0.1", redis.port()))
                    .name("redis-shared").maxSize(1).minIdle(1).maxCallsPerConnection(1024).maxPending(1024)
                    .acquireTimeout(Duration.ofSeconds(10)).build();
            shared.call(c -> c.command("SET", KEY, VALUE));
        } else {
            lettuceClient = RedisClient.create("redis://127.0.0.1:" + redis.port());
            lettuceConnection = lettuceClient.connect();
            lettuce = lettuceConnection.sync();
            lettuce.set(KEY, VALUE);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (shared != null) {
            shared.close();
        }
        if (lettuceClient != null) {
            lettuceConnection.close();
            lettuceClient.shutdown();
        }
        redis.close();
    }

    @Override
    protected Object get() throws Exception {
        if (shared != null) {
            return shared.call(c -> c.command("GET", KEY));
        }
        return lettuce.get(KEY);
    }
}
