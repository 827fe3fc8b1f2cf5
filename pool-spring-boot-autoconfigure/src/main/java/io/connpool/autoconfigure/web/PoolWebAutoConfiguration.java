package io.connpool.autoconfigure.web;

import io.connpool.Pool;
import io.connpool.autoconfigure.ConnPoolAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ProblemDetail;

/**
 * In a Spring MVC or WebFlux application, a pool that cannot give a connection answers {@code 503}
 * with Problem Details instead of {@code 500} (see {@link PoolProblemDetailsExceptionHandler}).
 * {@code connpool.web.enabled=false} turns it off; a user's bean of the handler's type replaces it.
 */
@AutoConfiguration(after = ConnPoolAutoConfiguration.class)
@ConditionalOnClass({Pool.class, ProblemDetail.class})
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = "connpool.web.enabled", matchIfMissing = true)
public final class PoolWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PoolProblemDetailsExceptionHandler connpoolProblemDetailsExceptionHandler() {
        return new PoolProblemDetailsExceptionHandler();
    }
}
