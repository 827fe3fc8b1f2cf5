package io.connpool.autoconfigure.health;

import io.connpool.ManagedPool;
import io.connpool.PoolRegistry;
import io.connpool.autoconfigure.ConnPoolAutoConfiguration;
import io.connpool.PoolStats;
import io.connpool.autoconfigure.ConnPoolProperties;
import io.connpool.autoconfigure.PoolCondition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code pools} component in {@code /actuator/health}, one child per pool: UP while it serves (even
 * saturated), DOWN when it cannot open connections, OUT_OF_SERVICE when paused or closed. Never
 * borrows a connection. A keyed pool is DOWN only when every destination it knows is down; one dead
 * destination among live ones leaves it UP, named under {@code downKeys} (see {@link PoolCondition}). {@code management.health.pools.enabled=false} turns it off. With
 * {@code connpool.warm-before-ready=true}, a pool is OUT_OF_SERVICE until it first reaches min-idle.
 */
@AutoConfiguration(after = ConnPoolAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(PoolRegistry.class)
@ConditionalOnEnabledHealthIndicator("pools")
public final class PoolsHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "poolsHealthContributor")
    HealthContributor poolsHealthContributor(PoolRegistry registry, ObjectProvider<ConnPoolProperties> properties) {
        boolean warmBeforeReady = properties.getIfAvailable(ConnPoolProperties::new).isWarmBeforeReady();
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        registry.pools().forEach((name, pool) -> indicators.put(name, new PoolHealthIndicator(pool, warmBeforeReady)));
        return CompositeHealthContributor.fromMap(indicators);
    }

    /** One pool's health, from its figures. */
    static final class PoolHealthIndicator implements HealthIndicator {

        private final ManagedPool pool;
        private final boolean warmBeforeReady;
        private volatile boolean warmedOnce;

        PoolHealthIndicator(ManagedPool pool, boolean warmBeforeReady) {
            this.pool = pool;
            this.warmBeforeReady = warmBeforeReady;
        }

        @Override
        public Health health() {
            PoolCondition condition = PoolCondition.of(pool);
            Status status = switch (condition.status()) {
                case UP -> Status.UP;
                case DOWN -> Status.DOWN;
                case OUT_OF_SERVICE -> Status.OUT_OF_SERVICE;
            };
            if (status == Status.UP && warmBeforeReady && !warmedOnce) {
                PoolStats stats = pool.stats();
                if (stats.total() < stats.minIdle()) {
                    return Health.outOfService().withDetails(condition.details())
                            .withDetail("warming", stats.total() + " of " + stats.minIdle() + " (min-idle)").build();
                }
                warmedOnce = true;
            }
            return Health.status(status).withDetails(condition.details()).build();
        }
    }
}
