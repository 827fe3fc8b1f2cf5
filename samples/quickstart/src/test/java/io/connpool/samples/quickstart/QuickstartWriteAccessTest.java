package io.connpool.samples.quickstart;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** With write access granted, the endpoint manages pools. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.endpoint.pools.access=unrestricted")
class QuickstartWriteAccessTest {

    @Value("${local.server.port}")
    int port;

    @Test
    void resizePauseAndResumeThroughTheEndpoint() throws Exception {
        HttpJson http = new HttpJson(port);
        JsonNode resized = HttpJson.parse(http.post("/actuator/pools/echo", "{\"action\":\"resize\",\"maxSize\":3}"));
        assertThat(resized.get("stats").get("maxSize").asInt()).isEqualTo(3);

        http.post("/actuator/pools/echo-shared", "{\"action\":\"pause\"}");
        JsonNode health = HttpJson.parse(http.get("/actuator/health"));
        assertThat(health.get("components").get("pools").get("components").get("echo-shared").get("status").asString())
                .isEqualTo("OUT_OF_SERVICE");
        http.post("/actuator/pools/echo-shared", "{\"action\":\"resume\"}");
        assertThat(HttpJson.parse(http.get("/echo?text=back")).get("echo-shared").asString()).isEqualTo("back");

        HttpResponse<String> unknown = http.post("/actuator/pools/echo", "{\"action\":\"explode\"}");
        assertThat(unknown.statusCode()).isEqualTo(400);
    }
}
