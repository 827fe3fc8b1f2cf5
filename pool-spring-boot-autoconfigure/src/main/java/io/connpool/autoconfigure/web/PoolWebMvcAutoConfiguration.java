package io.connpool.autoconfigure.web;

import io.connpool.Pool;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * In a Spring MVC application, a pool's failure is never answered as if the HTTP client had gone away
 * (see {@link PoolFailuresAreNotDisconnectedClients}): unhandled, it is a {@code 500} like any other
 * exception, not an empty {@code 200}. Not switched off by {@code connpool.web.enabled=false}, which
 * turns off the 503 mapping only: an empty 200 is wrong whatever the app maps.
 */
@AutoConfiguration
@ConditionalOnClass({Pool.class, WebMvcConfigurer.class, DisconnectedClientHelper.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public final class PoolWebMvcAutoConfiguration {

    @Bean
    PoolFailuresAreNotDisconnectedClients connpoolPoolFailuresAreNotDisconnectedClients() {
        return new PoolFailuresAreNotDisconnectedClients();
    }
}
