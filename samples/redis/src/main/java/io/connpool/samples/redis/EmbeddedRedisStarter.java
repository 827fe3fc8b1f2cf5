package io.connpool.samples.redis;

import io.connpool.testkit.RedisProcess;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Unless {@code redis.address} is set, starts a redis-server (the binary shipped in the embedded-redis
 * jar) on a free port before the pools are configured, and publishes its address as
 * {@code redis.address}. The server dies with the JVM.
 */
public class EmbeddedRedisStarter implements EnvironmentPostProcessor {

    private static RedisProcess server;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("redis.address")) {
            return;
        }
        synchronized (EmbeddedRedisStarter.class) {
            if (server == null) {
                server = RedisProcess.onFreePort();
            }
        }
        environment.getPropertySources().addLast(new MapPropertySource("embeddedRedis",
                Map.of("redis.address", server.address())));
    }

    /** The embedded server (null when {@code redis.address} pointed elsewhere), for tests that kill it. */
    public static RedisProcess server() {
        return server;
    }
}
