package io.connpool.autoconfigure.endpoint;

import io.connpool.autoconfigure.endpoint.PoolsEndpoint.ActionOutcome;
import io.connpool.autoconfigure.endpoint.PoolsEndpoint.ActionRefused;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@code POST /actuator/pools/{name}} over HTTP: a refused action answers 400 (404 for an unknown pool)
 * with a body saying what was wrong, what was received and what is allowed, where the endpoint alone
 * could only throw and get a bare 400.
 */
@EndpointWebExtension(endpoint = PoolsEndpoint.class)
public class PoolsEndpointWebExtension {

    private final PoolsEndpoint endpoint;

    public PoolsEndpointWebExtension(PoolsEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** See {@link PoolsEndpoint#manage}. */
    @WriteOperation
    public WebEndpointResponse<ActionOutcome> manage(@Selector String name, @Nullable String action, @Nullable String maxSize) {
        ActionOutcome outcome = endpoint.apply(name, action, maxSize);
        int status = outcome instanceof ActionRefused ? ((ActionRefused) outcome).status() : WebEndpointResponse.STATUS_OK;
        return new WebEndpointResponse<>(outcome, status);
    }
}
