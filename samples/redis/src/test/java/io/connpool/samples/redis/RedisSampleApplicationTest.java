package io.connpool.samples.redis;

import io.connpool.Pool;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Redis sample as a user meets it: HTTP on a random port, a real redis-server behind the pool. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisSampleApplicationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    @Qualifier("redis")
    Pool<RedisConnection> pool;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void setGetIncrementAndDeleteGoThroughThePoolToRedis() throws Exception {
        long failedBefore = pool.stats().failedOperations();
        assertThat(send("PUT", "/kv/greeting", "hello").statusCode()).isEqualTo(200);
        HttpResponse<String> got = send("GET", "/kv/greeting", null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).contains("\"value\":\"hello\"");

        assertThat(send("POST", "/counters/visits", null).body()).contains("\"value\":1");
        assertThat(send("POST", "/counters/visits", null).body()).contains("\"value\":2");

        assertThat(send("DELETE", "/kv/greeting", null).body()).contains("\"deleted\":1");
        assertThat(send("GET", "/kv/greeting", null).statusCode()).isEqualTo(404);
        assertThat(pool.stats().failedOperations()).isEqualTo(failedBefore);
    }

    @Test
    void aKilledRedisIsA503AndTheAppRecoversWhenRedisIsBack() throws Exception {
        assertThat(send("PUT", "/kv/k", "v").statusCode()).isEqualTo(200);

        EmbeddedRedisStarter.server().kill();
        HttpResponse<String> down = send("GET", "/kv/k", null);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(down.body()).contains("\"pool\":\"redis\"");

        EmbeddedRedisStarter.server().start();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(send("PUT", "/kv/k", "again").statusCode()).isEqualTo(200));
        assertThat(send("GET", "/kv/k", null).body()).contains("\"value\":\"again\"");
        assertThat(send("GET", "/actuator/health", null).body()).contains("\"status\":\"UP\"");
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "text/plain")
                .timeout(Duration.ofSeconds(10))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
