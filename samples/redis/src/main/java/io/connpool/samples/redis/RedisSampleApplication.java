package io.connpool.samples.redis;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import java.time.Duration;

/**
 * A key-value and counter service over Redis, through a connpool {@code Pool} of RESP connections.
 * By default it starts the redis-server binary of the embedded-redis jar; set {@code redis.address}
 * (for example {@code --redis.address=localhost:6379}) to use your own Redis instead.
 */
@SpringBootApplication
public class RedisSampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(RedisSampleApplication.class, args);
    }

    /** The factory the {@code redis} pool in application.yml names with {@code factory: redisConnectionFactory}. */
    @Bean
    RedisConnectionFactory redisConnectionFactory(@Value("${redis.address}") String address,
                                                  @Value("${redis.connect-timeout:1s}") Duration connectTimeout,
                                                  @Value("${redis.read-timeout:2s}") Duration readTimeout) {
        return new RedisConnectionFactory(address, connectTimeout, readTimeout);
    }
}
