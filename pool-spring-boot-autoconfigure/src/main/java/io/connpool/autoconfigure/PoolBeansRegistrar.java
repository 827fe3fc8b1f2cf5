package io.connpool.autoconfigure;

import io.connpool.ManagedPool;
import io.connpool.PoolListener;
import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Registers one bean per entry of {@code connpool.pools}, named as the entry, of the pool kind the
 * entry asks for ({@code Pool}, {@code SharedPool} or {@code KeyedPool}), so that
 * {@code @Qualifier("orders")} injection works. Each pool starts from {@code connpool.defaults}: the
 * entry's properties are bound onto a copy of them, so only what the entry sets overrides.
 */
class PoolBeansRegistrar implements BeanRegistrar {

    static final String DEFINITIONS_BEAN = "connpoolPoolDefinitions";

    @Override
    public void register(BeanRegistry registry, Environment env) {
        Map<String, PoolProperties> definitions = bind(env);
        for (Map.Entry<String, PoolProperties> entry : definitions.entrySet()) {
            String name = entry.getKey();
            PoolCreator creator = new PoolCreator(name, entry.getValue());
            creator.validate(); // fail start-up on bad configuration before any pool dials
            register(registry, name, creator);
        }
        registry.registerBean(DEFINITIONS_BEAN, PoolDefinitions.class,
                spec -> spec.description("connpool pool settings").supplier(ctx -> new PoolDefinitions(definitions)));
    }

    @SuppressWarnings("unchecked")
    private static <T> void register(BeanRegistry registry, String name, PoolCreator creator) {
        Class<T> type = (Class<T>) creator.beanType();
        registry.registerBean(name, type, spec -> spec.description("connpool pool '" + name + "'").supplier(ctx -> {
            List<PoolListener> listeners = new ArrayList<>();
            ctx.beanProvider(PoolListenerProvider.class).orderedStream()
                    .map(provider -> provider.listenerFor(name)).filter(Objects::nonNull).forEach(listeners::add);
            ManagedPool pool = creator.create(
                    bean -> lookup(ctx, bean),
                    bundle -> ctx.beanProvider(SslBundles.class).getObject().getBundle(bundle).createSslContext().getSocketFactory(),
                    listeners);
            return (T) pool;
        }));
    }

    private static Object lookup(BeanRegistry.SupplierContext ctx, String bean) {
        try {
            return ctx.bean(bean, Object.class);
        } catch (org.springframework.beans.factory.NoSuchBeanDefinitionException e) {
            return null;
        }
    }

    /**
     * The effective settings of every enabled pool: defaults, overridden by the entry. Every map key
     * Boot binds is a pool name ({@code ordersDb}, {@code orders_db}, {@code [orders.db]}): each entry is
     * bound where Boot's own map binding finds it, onto a copy of the defaults, so no property name is
     * ever built from a pool's name. Unknown keys under {@code connpool} stop start-up first.
     */
    static Map<String, PoolProperties> bind(Environment env) {
        Binder binder = Binder.get(env);
        UnknownProperties.reject(binder);
        PoolProperties defaults = binder.bind("connpool.defaults", PoolProperties.class).orElseGet(PoolProperties::new);
        BindHandler startFromDefaults = new BindHandler() {
            @Override
            public <T> Bindable<T> onStart(ConfigurationPropertyName name, Bindable<T> target, BindContext context) {
                if (target.getType().resolve() == PoolProperties.class) {
                    @SuppressWarnings("unchecked")
                    T copy = (T) defaults.copy();
                    return target.withExistingValue(copy);
                }
                return target;
            }
        };
        Map<String, PoolProperties> pools = binder.bind("connpool.pools",
                Bindable.mapOf(String.class, PoolProperties.class), startFromDefaults).orElse(Map.of());
        Map<String, PoolProperties> effective = new LinkedHashMap<>();
        pools.forEach((name, properties) -> {
            if (properties.isEnabled()) {
                effective.put(name, properties);
            }
        });
        return effective;
    }
}
