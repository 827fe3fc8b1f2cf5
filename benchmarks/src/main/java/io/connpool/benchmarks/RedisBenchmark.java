package io.connpool.benchmarks;

import io.connpool.Pool;
import io.connpool.samples.redis.RedisConnection;
import io.connpool.samples.redis.RedisConnectionFactory;
import io.connpool.testkit.RedisProcess;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

import java.time.Duration;

/**
 * Suite 5, real server, exclusive: a GET round trip to a real redis-server (the embedded-redis binary,
 * started per fork) through a pool of 8 connections, at 8 and at 32 threads. connpool's {@code Pool} of
 * RESP connections (samples/redis) against Jedis's {@code JedisPool} (commons-pool2 underneath), both
 * with their defaults but for the size: 8 connections, all opened before measuring.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RedisBenchmark
 * </pre>
 */
public class RedisBenchmark extends RealServerBenchmark {

    static final int POOL_SIZE = 8;

    /**
     * {@code connpool-fifo} is connpool with {@code handOffAfter(Duration.ZERO)}: strictly first come,
     * first served; not in run-all.sh, run it by name to see what strict order costs and buys.
     */
    @Param({"connpool", "jedis"})
    public String peer;

    private RedisProcess redis;
    private Pool<RedisConnection> connpool;
    private JedisPool jedis;

    @Setup(Level.Trial)
    public void start() throws Exception {
        redis = RedisProcess.onFreePort();
        if (peer.startsWith("connpool")) {
            Pool.Builder<RedisConnection> builder = Pool.builder(RedisConnectionFactory.to(redis.address())).name("redis")
                    .maxSize(POOL_SIZE).minIdle(POOL_SIZE).maxPending(1024).acquireTimeout(Duration.ofSeconds(10));
            if (peer.equals("connpool-fifo")) {
                builder.handOffAfter(Duration.ZERO);
            }
            connpool = builder.build();
            connpool.withConnection(c -> {
                c.set(KEY, VALUE);
                return null;
            });
            while (connpool.stats().idle() < POOL_SIZE) {
                Thread.sleep(1);
            }
        } else {
            JedisPoolConfig config = new JedisPoolConfig();
            config.setMaxTotal(POOL_SIZE);
            config.setMaxIdle(POOL_SIZE);
            config.setMinIdle(POOL_SIZE);
            config.setJmxEnabled(false);
            jedis = new JedisPool(config, "127.0.0.1", redis.port());
            try (Jedis j = jedis.getResource()) {
                j.set(KEY, VALUE);
            }
            jedis.preparePool();
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (connpool != null) {
            connpool.close();
        }
        if (jedis != null) {
            jedis.close();
        }
        redis.close();
    }

    @Override
    protected Object get() {
        if (connpool != null) {
            return connpool.withConnection(c -> c.get(KEY));
        }
        try (Jedis j = jedis.getResource()) {
            return j.get(KEY);
        }
    }
}
