package io.connpool.autoconfigure;

import io.connpool.ManagedPool;
import io.connpool.Pool;
import io.connpool.PoolRegistry;
import io.connpool.PoolTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.util.Map;

/**
 * connpool's pools from {@code application.yml}: one bean per {@code connpool.pools} entry, a
 * {@link PoolRegistry} of every pool bean (with each pool's connection type where the context knows
 * it, so that {@link PoolTemplate#pool(String, Class)} checks it at lookup), a {@link PoolTemplate}, and
 * graceful shutdown. A user's own {@code PoolRegistry} or {@code PoolTemplate} bean wins;
 * {@code connpool.enabled=false} turns it off.
 */
@AutoConfiguration
@ConditionalOnClass(Pool.class)
@ConditionalOnBooleanProperty(name = "connpool.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConnPoolProperties.class)
@Import(PoolBeansRegistrar.class)
public final class ConnPoolAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PoolRegistry poolRegistry(ConfigurableListableBeanFactory beans, ObjectProvider<PoolDefinitions> definitions) {
        Map<String, ManagedPool> pools = beans.getBeansOfType(ManagedPool.class);
        return new PoolRegistry(pools, ConnectionTypes.of(beans, pools, definitions.getIfAvailable()));
    }

    @Bean
    @ConditionalOnMissingBean
    PoolTemplate poolTemplate(PoolRegistry registry) {
        return new PoolTemplate(registry);
    }

    @Bean
    PoolsLifecycle connpoolLifecycle(PoolRegistry registry, ConnPoolProperties properties) {
        return new PoolsLifecycle(registry, properties.getShutdownTimeout());
    }
}
