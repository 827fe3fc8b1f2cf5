package io.connpool.samples.redis;

import io.connpool.Pool;
import io.connpool.PoolTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Without the sample's handler, a command that loses Redis mid-flight must still be an error to the
 * client. It used to answer 200 with an empty body: Spring MVC took the {@code EOFException} under the
 * pool's {@code CallbackException} for a client that had gone away, and wrote nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(UnhandledRedisLossTest.UnhandledController.class)
class UnhandledRedisLossTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    @Qualifier("redis")
    Pool<RedisConnection> pool;

    /** After a kill the pool backs off from dialing for a while: wait until it lends a live connection. */
    @BeforeEach
    void thePoolServesRedis() {
        EmbeddedRedisStarter.server().start();
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() ->
                assertThat(pool.withConnection(RedisConnection::ping)).isEqualTo("PONG"));
    }

    /** Other test classes expect Redis up. */
    @AfterEach
    void redisIsBack() {
        EmbeddedRedisStarter.server().start();
    }

    @Test
    void aCommandThatLosesRedisWithNoHandlerIsA500NotAnEmpty200() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/unhandled/kv/k"))
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as("status; body: '%s'", response.body()).isEqualTo(500);
        assertThat(response.body()).contains("\"status\":500", "\"path\":\"/unhandled/kv/k\"");
    }

    /** Like the sample's GET, with no {@code @ExceptionHandler} in reach. */
    @RestController
    static class UnhandledController {

        private final PoolTemplate pools;

        UnhandledController(PoolTemplate pools) {
            this.pools = pools;
        }

        @GetMapping("/unhandled/kv/{key}")
        String get(@PathVariable String key) {
            return pools.withConnection("redis", (RedisConnection redis) -> {
                // Killed while this request holds a connection: the command goes out on a dead socket,
                // whatever the pool's validation and keepalive would have caught a moment later.
                EmbeddedRedisStarter.server().kill();
                return redis.get(key);
            });
        }
    }
}
