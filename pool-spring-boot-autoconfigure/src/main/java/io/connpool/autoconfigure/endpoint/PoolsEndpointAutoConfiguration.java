package io.connpool.autoconfigure.endpoint;

import io.connpool.PoolRegistry;
import io.connpool.autoconfigure.ConnPoolAutoConfiguration;
import io.connpool.autoconfigure.PoolDefinitions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code pools} actuator endpoint, when actuator is present and the endpoint is exposed. */
@AutoConfiguration(after = ConnPoolAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(PoolRegistry.class)
@ConditionalOnAvailableEndpoint(PoolsEndpoint.class)
public final class PoolsEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PoolsEndpoint poolsEndpoint(PoolRegistry registry, ObjectProvider<PoolDefinitions> definitions) {
        return new PoolsEndpoint(registry, definitions.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(PoolsEndpoint.class)
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    PoolsEndpointWebExtension poolsEndpointWebExtension(PoolsEndpoint endpoint) {
        return new PoolsEndpointWebExtension(endpoint);
    }
}
