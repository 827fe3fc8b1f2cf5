package io.connpool.samples.quickstart;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The quick start as a user meets it: over HTTP, on a random port, against its embedded echo server. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class QuickstartApplicationTest {

    @Value("${local.server.port}")
    int port;

    @Test
    void echoGoesThroughBothPoolsAndTheActuatorShowsThem() throws Exception {
        HttpJson http = new HttpJson(port);

        JsonNode echo = HttpJson.parse(http.get("/echo?text=hello"));
        assertThat(echo.get("echo").asString()).isEqualTo("hello");
        assertThat(echo.get("echo-shared").asString()).isEqualTo("hello");

        JsonNode pools = HttpJson.parse(http.get("/actuator/pools")).get("pools");
        assertThat(pools.get("echo").get("mode").asString()).isEqualTo("exclusive");
        assertThat(pools.get("echo").get("healthy").asBoolean()).isTrue();
        assertThat(pools.get("echo").get("maxSize").asInt()).isEqualTo(8);
        assertThat(pools.get("echo").get("successfulOperations").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(pools.get("echo-shared").get("mode").asString()).isEqualTo("shared");

        JsonNode one = HttpJson.parse(http.get("/actuator/pools/echo"));
        assertThat(one.get("settings").get("type").asString()).isEqualTo("tcp");
        assertThat(one.get("settings").get("address").asString()).startsWith("127.0.0.1:");
        assertThat(one.get("settings").get("maxIdle").asInt()).as("effective: max-size, as max-idle is unset").isEqualTo(8);
        assertThat(one.get("settings").get("readTimeout").asString()).isEqualTo("PT2S");
        assertThat(one.get("settings").has("maxCallsPerConnection")).as("a shared pool's setting").isFalse();
        assertThat(one.get("connections").size()).isGreaterThanOrEqualTo(2);
        assertThat(one.get("connections").get(0).get("state").asString()).isIn("IDLE", "IN_USE");
        assertThat(http.get("/actuator/pools/nope").statusCode()).isEqualTo(404);

        JsonNode health = HttpJson.parse(http.get("/actuator/health"));
        assertThat(health.get("components").get("pools").get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("pools").get("components").get("echo").get("details").get("circuit").asString())
                .isEqualTo("CLOSED");

        JsonNode connections = HttpJson.parse(http.get("/actuator/metrics/connpool.connections?tag=pool:echo&tag=state:idle"));
        assertThat(connections.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1.0);
        JsonNode calls = HttpJson.parse(http.get("/actuator/metrics/connpool.calls?tag=pool:echo&tag=outcome:success"));
        assertThat(calls.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void writesAreRefusedUntilAccessIsGranted() throws Exception {
        HttpResponse<String> refused = new HttpJson(port).post("/actuator/pools/echo", "{\"action\":\"resize\",\"maxSize\":3}");
        assertThat(refused.statusCode()).isEqualTo(405);
    }
}
