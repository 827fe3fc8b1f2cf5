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

    }

    @Test
    void anUnknownActionIs400WithABodyListingTheAllowedActions() throws Exception {
        HttpResponse<String> unknown = new HttpJson(port).post("/actuator/pools/echo", "{\"action\":\"explode\"}");

        assertThat(unknown.statusCode()).isEqualTo(400);
        JsonNode body = HttpJson.parse(unknown);
        assertThat(body.get("error").asString()).startsWith("Unknown action 'explode' for pool 'echo'");
        assertThat(body.get("received").get("action").asString()).isEqualTo("explode");
        assertThat(body.get("allowedActions").toString()).isEqualTo("[\"evict-idle\",\"drain\",\"resize\",\"pause\",\"resume\"]");
    }

    @Test
    void resizeWithoutMaxSizeIs400WithABodySayingItIsNeeded() throws Exception {
        HttpResponse<String> resize = new HttpJson(port).post("/actuator/pools/echo", "{\"action\":\"resize\"}");

        assertThat(resize.statusCode()).isEqualTo(400);
        assertThat(HttpJson.parse(resize).get("error").asString()).contains("needs \"maxSize\"");
    }
}
