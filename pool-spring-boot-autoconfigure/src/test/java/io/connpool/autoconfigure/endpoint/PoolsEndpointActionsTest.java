package io.connpool.autoconfigure.endpoint;

import io.connpool.Pool;
import io.connpool.PoolRegistry;
import io.connpool.autoconfigure.endpoint.PoolsEndpoint.ActionDone;
import io.connpool.autoconfigure.endpoint.PoolsEndpoint.ActionOutcome;
import io.connpool.autoconfigure.endpoint.PoolsEndpoint.ActionRefused;
import io.connpool.autoconfigure.endpoint.PoolsEndpoint.Received;
import io.connpool.autoconfigure.ConnPoolAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code POST /actuator/pools/{name}}: a request the endpoint cannot carry out is answered with a body
 * saying what was wrong, what was received and what is allowed, never a bare 400.
 */
class PoolsEndpointActionsTest {

    private static final List<String> ACTIONS = List.of("evict-idle", "drain", "resize", "pause", "resume");

    private final Pool<Object> pool = Pool.<Object>builder(() -> "connection").name("orders").maxSize(4).build();
    private final PoolsEndpoint endpoint = new PoolsEndpoint(new PoolRegistry(Map.of("orders", pool)), null);
    private final PoolsEndpointWebExtension web = new PoolsEndpointWebExtension(endpoint);

    @AfterEach
    void close() {
        pool.close();
    }

    private ActionRefused refused(WebEndpointResponse<ActionOutcome> response) {
        assertThat(response.getBody()).isInstanceOf(ActionRefused.class);
        return (ActionRefused) response.getBody();
    }

    @Test
    void anUnknownActionIs400WithTheAllowedActionsAndWhatWasReceived() {
        WebEndpointResponse<ActionOutcome> response = web.manage("orders", "explode", null);

        assertThat(response.getStatus()).isEqualTo(400);
        ActionRefused body = refused(response);
        assertThat(body.error()).isEqualTo("Unknown action 'explode' for pool 'orders'; the actions are " + ACTIONS);
        assertThat(body.allowedActions()).isEqualTo(ACTIONS);
        assertThat(body.received()).isEqualTo(new Received("explode", null));
    }

    @Test
    void aMissingActionIs400WithTheAllowedActions() {
        WebEndpointResponse<ActionOutcome> response = web.manage("orders", null, null);

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(refused(response).error()).startsWith("No action given for pool 'orders'");
        assertThat(refused(response).allowedActions()).isEqualTo(ACTIONS);
    }

    @Test
    void resizeWithoutMaxSizeIs400SayingItIsNeeded() {
        WebEndpointResponse<ActionOutcome> response = web.manage("orders", "resize", null);

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(refused(response).error())
                .isEqualTo("Action 'resize' on pool 'orders' needs \"maxSize\": a whole number of at least 1, and none was given");
        assertThat(pool.stats().maxSize()).isEqualTo(4);
    }

    @Test
    void resizeWithAMaxSizeThatIsNotAWholeNumberOfAtLeastOneIs400EchoingIt() {
        for (String bad : List.of("twelve", "0", "-3", "1.5")) {
            WebEndpointResponse<ActionOutcome> response = web.manage("orders", "resize", bad);

            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(refused(response).error()).endsWith(", but was '" + bad + "'");
            assertThat(refused(response).received()).isEqualTo(new Received("resize", bad));
        }
        assertThat(pool.stats().maxSize()).isEqualTo(4);
    }

    @Test
    void anActionOnAnUnknownPoolIs404ListingThePools() {
        WebEndpointResponse<ActionOutcome> response = web.manage("nope", "drain", null);

        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(refused(response).pools()).containsExactly("orders");
        assertThat(refused(response).error()).isEqualTo("No pool named 'nope'; the pools are [orders]");
    }

    @Test
    void aValidActionIs200WithTheFiguresAfterIt() {
        WebEndpointResponse<ActionOutcome> response = web.manage("orders", "resize", "12");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(((ActionDone) response.getBody()).stats().maxSize()).isEqualTo(12);
    }

    @Test
    void theWebExtensionIsThereWhenTheEndpointIsExposedOverHttpOnly() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ConnPoolAutoConfiguration.class, PoolsEndpointAutoConfiguration.class))
                .withBean("orders", Pool.class, () -> Pool.builder(() -> "connection").name("orders").build());
        runner.withPropertyValues("management.endpoints.web.exposure.include=pools")
                .run(context -> assertThat(context).hasSingleBean(PoolsEndpointWebExtension.class));
        runner.withPropertyValues("management.endpoints.jmx.exposure.include=pools", "spring.jmx.enabled=true")
                .run(context -> assertThat(context).hasSingleBean(PoolsEndpoint.class).doesNotHaveBean(PoolsEndpointWebExtension.class));
    }

    @Test
    void withoutHttpARefusedActionIsAnInvalidRequestWithTheSameExplanation() {
        assertThatThrownBy(() -> endpoint.manage("orders", "explode", null))
                .isInstanceOf(InvalidEndpointRequestException.class)
                .hasMessage("Unknown action 'explode' for pool 'orders'; the actions are " + ACTIONS);
    }
}
