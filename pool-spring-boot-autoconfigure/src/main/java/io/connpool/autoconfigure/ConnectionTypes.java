package io.connpool.autoconfigure;

import io.connpool.ConnectionFactory;
import io.connpool.KeyedConnectionFactory;
import io.connpool.KeyedPool;
import io.connpool.ManagedPool;
import io.connpool.Pool;
import io.connpool.SharedPool;
import io.connpool.tcp.TcpConnection;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.ResolvableType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the application context knows of each pool's connection type, for {@code PoolTemplate} to check
 * typed handles when they are looked up: a {@code tcp} pool's are {@link TcpConnection}s; a factory
 * pool's are what its factory bean's generic type says ({@code @Bean ConnectionFactory<RedisConnection>},
 * or a class implementing it); a pool bean of the user's, what its own bean type says. A factory whose
 * type Spring cannot resolve (a raw type, a wildcard) leaves the pool out: its handles check the first
 * connection instead.
 */
final class ConnectionTypes {

    private ConnectionTypes() {
    }

    static Map<String, Class<?>> of(ConfigurableListableBeanFactory beans, Map<String, ManagedPool> pools, PoolDefinitions definitions) {
        Map<String, Class<?>> types = new LinkedHashMap<>();
        pools.forEach((name, pool) -> {
            PoolProperties properties = definitions == null ? null : definitions.get(name);
            Class<?> type;
            if (properties != null && properties.getType() != null) {
                type = TcpConnection.class;
            } else if (properties != null && properties.getFactory() != null) {
                type = properties.isKeyed() ? generic(beans, properties.getFactory(), KeyedConnectionFactory.class, 1)
                        : generic(beans, properties.getFactory(), ConnectionFactory.class, 0);
            } else if (pool instanceof KeyedPool) {
                type = generic(beans, name, KeyedPool.class, 1);
            } else {
                type = generic(beans, name, pool instanceof SharedPool ? SharedPool.class : Pool.class, 0);
            }
            if (type != null) {
                types.put(name, type);
            }
        });
        return types;
    }

    /**
     * The {@code index}th type argument of {@code bean} seen as an {@code api}: from its bean definition
     * first (a {@code @Bean} method's return type keeps the generics a lambda's class has lost), then
     * from its class. Object says nothing, so it counts as unknown.
     */
    private static Class<?> generic(ConfigurableListableBeanFactory beans, String bean, Class<?> api, int index) {
        Class<?> type = null;
        if (beans.containsBeanDefinition(bean)) {
            type = beans.getMergedBeanDefinition(bean).getResolvableType().as(api).getGeneric(index).resolve();
        }
        if (type == null || type == Object.class) {
            Class<?> beanClass = beans.getType(bean);
            type = beanClass == null ? null : ResolvableType.forClass(beanClass).as(api).getGeneric(index).resolve();
        }
        return type == Object.class ? null : type;
    }
}
