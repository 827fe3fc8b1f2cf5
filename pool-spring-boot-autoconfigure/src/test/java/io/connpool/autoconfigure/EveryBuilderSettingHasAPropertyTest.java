package io.connpool.autoconfigure;

import io.connpool.KeyedPool;
import io.connpool.Pool;
import io.connpool.SharedPool;
import io.connpool.tcp.TcpConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A setting added to a builder is a setting a Spring user cannot reach until PoolProperties has it:
 * this test finds every public setting of the builders Spring configures (by reflection, so a new one
 * is found without anyone remembering this list) and asks for its property.
 */
class EveryBuilderSettingHasAPropertyTest {

    /** The builders PoolCreator configures from properties. */
    private static final List<Class<?>> BUILDERS = List.of(Pool.Builder.class, SharedPool.Builder.class, KeyedPool.Builder.class,
            TcpConnectionFactory.Builder.class);

    /** Settings whose property is not their name in kebab case. */
    private static final Map<String, List<String>> PROPERTIES_OF_RENAMED = Map.of(
            "maxTotal", List.of("max-size"),          // a keyed pool's total: the same property as a plain pool's cap
            "minIdlePerKey", List.of("min-idle"),     // min-idle of a keyed pool is per key
            "connectBackoff", List.of("connect-backoff-initial", "connect-backoff-max"),
            "tag", List.of("tags"),                   // one call per tag; the property is the map of them
            "tls", List.of("ssl-bundle"),             // a socket factory, made from the named Spring Boot SSL bundle
            "keepAlive", List.of("tcp-keep-alive"));  // tcp- beside keepalive-interval, which is the pool's own probing

    /** Settings that cannot be properties, each with why. */
    private static final Map<String, String> NOT_PROPERTIES = Map.of(
            "name", "the pool's name is its key under connpool.pools",
            "listener", "an object: PoolListenerProvider beans give each pool its listeners",
            "ticker", "a source of time for tests; a running application has one clock",
            "brokenWhen", "a Predicate<Throwable>: code, not a value a property can hold");

    @Test
    void everyPublicBuilderSettingHasAProperty() {
        Set<String> properties = poolProperties();
        Map<String, List<String>> missing = new TreeMap<>();
        for (String setting : builderSettings()) {
            if (NOT_PROPERTIES.containsKey(setting)) {
                continue;
            }
            List<String> wanted = PROPERTIES_OF_RENAMED.getOrDefault(setting, List.of(PoolCreator.kebab(setting)));
            List<String> absent = wanted.stream().filter(p -> !properties.contains(p)).toList();
            if (!absent.isEmpty()) {
                missing.put(setting, absent);
            }
        }
        assertThat(missing).as("builder settings with no property in PoolProperties (setting -> missing properties)").isEmpty();
    }

    @Test
    void theExclusionsAndRenamingsNameSettingsThatExist() {
        // a setting renamed or removed in the builders must not leave a stale excuse here
        Set<String> settings = builderSettings();
        assertThat(settings).containsAll(NOT_PROPERTIES.keySet()).containsAll(PROPERTIES_OF_RENAMED.keySet());
    }

    /** Public instance methods of the builders that return a builder (for chaining): the settings. */
    private static Set<String> builderSettings() {
        Set<String> settings = new TreeSet<>();
        for (Class<?> builder : BUILDERS) {
            for (Method method : builder.getMethods()) {
                boolean chained = method.getReturnType().isAssignableFrom(builder) && method.getReturnType() != Object.class;
                if (!Modifier.isStatic(method.getModifiers()) && chained && method.getParameterCount() > 0) {
                    settings.add(method.getName());
                }
            }
        }
        return settings;
    }

    /** The properties a pool binds, in kebab case as users write them. */
    private static Set<String> poolProperties() {
        Set<String> names = new TreeSet<>();
        for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(PoolProperties.class)) {
            if (property.getWriteMethod() != null || (property.getReadMethod() != null && Map.class.isAssignableFrom(property.getPropertyType()))) {
                names.add(PoolCreator.kebab(property.getName()));
            }
        }
        return names;
    }
}
