package io.connpool.autoconfigure.metrics;

import io.connpool.PoolRegistry;
import io.connpool.autoconfigure.ConnPoolAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Micrometer meters of the pools, when Micrometer is on the class path. */
@AutoConfiguration(before = ConnPoolAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "connpool.enabled", matchIfMissing = true)
public final class PoolMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PoolMetrics connpoolMetrics(ObjectProvider<PoolRegistry> registry) {
        return new PoolMetrics(registry);
    }
}
