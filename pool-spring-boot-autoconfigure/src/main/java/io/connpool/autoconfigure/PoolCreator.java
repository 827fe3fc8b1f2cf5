package io.connpool.autoconfigure;

import io.connpool.ConnectionFactory;
import io.connpool.DescribedFactory;
import io.connpool.InvalidConfigException;
import io.connpool.KeyedConnectionFactory;
import io.connpool.KeyedPool;
import io.connpool.ManagedPool;
import io.connpool.Pool;
import io.connpool.PoolBuilder;
import io.connpool.PoolListener;
import io.connpool.PoolSettings;
import io.connpool.Secrets;
import io.connpool.SharedPool;
import io.connpool.tcp.TcpConnection;
import io.connpool.tcp.TcpConnectionFactory;

import javax.net.ssl.SSLSocketFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Builds one pool from its properties. Every mistake becomes a {@link PoolConfigurationException}
 * naming the property as the user wrote it ({@code connpool.pools.orders.max-size}), for the failure
 * analyzer to report.
 */
final class PoolCreator {

    /**
     * Builder settings whose Spring property has another name: a keyed pool's total is max-size, and
     * connectBackoff(initial, max) is two properties.
     */
    private static final Map<String, String> PROPERTY_OF_SETTING = Map.of("maxTotal", "max-size", "minIdlePerKey", "min-idle",
            "connectBackoff.initial", "connect-backoff-initial", "connectBackoff.max", "connect-backoff-max");

    private final String name;
    private final PoolProperties properties;
    private final String prefix;

    PoolCreator(String name, PoolProperties properties) {
        this.name = name;
        this.properties = properties;
        // as the user wrote it: a name with a dot in it is only bound in brackets
        this.prefix = "connpool.pools" + (name.contains(".") ? "[" + name + "]" : "." + name) + ".";
    }

    /** The kind of pool the properties ask for, as a bean type. */
    Class<?> beanType() {
        if (properties.isKeyed()) {
            return KeyedPool.class;
        }
        return properties.getMode() == PoolProperties.Mode.SHARED ? SharedPool.class : Pool.class;
    }

    /** Checks what can be checked without other beans, so that start-up fails before anything is built. */
    void validate() {
        if (properties.getType() == null && properties.getFactory() == null) {
            throw new PoolConfigurationException(prefix + "type", null,
                    "tcp, or else set " + prefix + "factory to the name of a ConnectionFactory bean");
        }
        if (properties.getType() != null && properties.getFactory() != null) {
            throw new PoolConfigurationException(prefix + "factory", properties.getFactory(),
                    "unset when " + prefix + "type is set (" + properties.getType() + ")");
        }
        if (properties.getType() != null && !"tcp".equalsIgnoreCase(properties.getType())) {
            throw new PoolConfigurationException(prefix + "type", properties.getType(), "tcp");
        }
        if (properties.getType() != null && !properties.isKeyed() && properties.getAddress() == null) {
            throw new PoolConfigurationException(prefix + "address", null, "host:port (required for type tcp)");
        }
        if (properties.isKeyed() && properties.getMode() == PoolProperties.Mode.SHARED) {
            throw new PoolConfigurationException(prefix + "mode", "shared", "exclusive for a keyed pool");
        }
        if (properties.getAddress() != null) {
            String address = properties.getAddress();
            int at = address.lastIndexOf('@');
            if (at >= 0 && properties.getType() != null) {
                throw new PoolConfigurationException(prefix + "address", Secrets.maskUserInfo(address),
                        "host:port without credentials: the address of pool '" + name + "' contains user info (before '@'),"
                                + " which tcp pools do not use; remove it");
            }
            // a factory pool's address is only shown (masked), never dialled by connpool: check what follows the user info
            translate(() -> TcpConnectionFactory.to(address.substring(at + 1)));
        }
        Duration backoffInitial = properties.getConnectBackoffInitial();
        Duration backoffMax = properties.getConnectBackoffMax();
        if (backoffInitial != null && backoffMax != null && backoffMax.compareTo(backoffInitial) < 0) {
            // the builder checks this too, but names the properties in camelCase and the initial wait in ISO-8601
            throw new PoolConfigurationException(prefix + "connect-backoff-max", asWritten(backoffMax),
                    "at least connect-backoff-initial (" + asWritten(backoffInitial) + ")");
        }
        translate(this::configuredBuilder); // sizes and durations, checked by the builders themselves
        int cap = properties.isKeyed() ? Math.min(properties.getMaxPerKey(), properties.getMaxSize()) : properties.getMaxSize();
        String capName = properties.isKeyed() ? "max-per-key" : "max-size";
        if (properties.getMinIdle() > cap) {
            throw new PoolConfigurationException(prefix + "min-idle", properties.getMinIdle(), "at most " + capName + " (" + cap + ")");
        }
        Integer idleCap = properties.isKeyed() ? properties.getMaxIdlePerKey() : properties.getMaxIdle();
        if (idleCap != null && idleCap < properties.getMinIdle()) {
            throw new PoolConfigurationException(prefix + (properties.isKeyed() ? "max-idle-per-key" : "max-idle"), idleCap,
                    "at least min-idle (" + properties.getMinIdle() + ")");
        }
    }

    /**
     * Builds the pool. {@code beans} finds a bean by name (null if none), {@code ssl} turns an SSL
     * bundle name into a socket factory.
     */
    ManagedPool create(Function<String, Object> beans, Function<String, SSLSocketFactory> ssl, List<PoolListener> listeners) {
        validate();
        Object factory = properties.getFactory() != null ? factoryBean(beans) : tcpFactory(ssl);
        return translate(() -> {
            Object builder = configuredBuilder(factory);
            listeners.forEach(((PoolSettings<?>) builder)::listener);
            if (builder instanceof KeyedPool.Builder) {
                return ((KeyedPool.Builder<?, ?>) builder).build();
            }
            if (builder instanceof SharedPool.Builder) {
                return ((SharedPool.Builder<?>) builder).build();
            }
            return ((Pool.Builder<?>) builder).build();
        });
    }

    private Object configuredBuilder() {
        return configuredBuilder(properties.isKeyed() ? (KeyedConnectionFactory<Object, Object>) key -> null
                : (ConnectionFactory<Object>) () -> null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object configuredBuilder(Object factory) {
        PoolProperties p = properties;
        PoolSettings<?> settings;
        if (p.isKeyed()) {
            if (!(factory instanceof KeyedConnectionFactory)) {
                throw new PoolConfigurationException(prefix + "factory", p.getFactory(), "a KeyedConnectionFactory bean for a keyed pool");
            }
            KeyedPool.Builder<Object, Object> keyed = KeyedPool.builder((KeyedConnectionFactory<Object, Object>) factory)
                    .maxTotal(p.getMaxSize()).maxPerKey(Math.min(p.getMaxPerKey(), p.getMaxSize())).minIdlePerKey(p.getMinIdle());
            if (p.getMaxIdlePerKey() != null) {
                keyed.maxIdlePerKey(p.getMaxIdlePerKey());
            }
            settings = keyed;
        } else {
            if (!(factory instanceof ConnectionFactory)) {
                throw new PoolConfigurationException(prefix + "factory", p.getFactory(), "a ConnectionFactory bean");
            }
            PoolBuilder<?> sized;
            if (p.getMode() == PoolProperties.Mode.SHARED) {
                sized = SharedPool.builder((ConnectionFactory<Object>) factory)
                        .maxCallsPerConnection(p.getMaxCallsPerConnection()).routing(p.getRouting());
            } else {
                sized = Pool.builder((ConnectionFactory<Object>) factory);
            }
            sized.maxSize(p.getMaxSize()).minIdle(p.getMinIdle());
            if (p.getMaxIdle() != null) {
                sized.maxIdle(p.getMaxIdle());
            }
            settings = sized;
        }
        settings.name(name)
                .acquireTimeout(p.getAcquireTimeout())
                .handOffAfter(p.getHandOffAfter())
                .idleTimeout(p.getIdleTimeout())
                .maxLifetime(p.getMaxLifetime())
                .validateOnBorrow(p.isValidateOnBorrow())
                .validateAfterInactivity(p.getValidateAfterInactivity())
                .validationTimeout(p.getValidationTimeout())
                .keepaliveInterval(p.getKeepaliveInterval())
                .revive(p.isRevive())
                .leakDetectionThreshold(p.getLeakDetectionThreshold())
                .connectBackoff(p.getConnectBackoffInitial(), p.getConnectBackoffMax())
                .maxConnecting(p.getMaxConnecting());
        if (p.getMaxPending() != null) {
            settings.maxPending(p.getMaxPending());
        }
        p.getTags().forEach(settings::tag);
        return settings;
    }

    private Object factoryBean(Function<String, Object> beans) {
        Object bean = beans.apply(properties.getFactory());
        if (bean == null) {
            throw new PoolConfigurationException(prefix + "factory", properties.getFactory(),
                    "the name of a ConnectionFactory bean (no bean has that name)");
        }
        return bean;
    }

    private Object tcpFactory(Function<String, SSLSocketFactory> ssl) {
        SSLSocketFactory tls = properties.getSslBundle() == null ? null : sslFactory(ssl);
        Duration connect = properties.getConnectTimeout();
        Duration read = properties.getReadTimeout();
        boolean noDelay = properties.isTcpNoDelay();
        boolean keepAlive = properties.isTcpKeepAlive();
        if (!properties.isKeyed()) {
            return translate(() -> tcp(properties.getAddress(), connect, read, noDelay, keepAlive, tls));
        }
        return new KeyedTcpFactory(connect, read, noDelay, keepAlive, tls);
    }

    /** A keyed tcp pool's factory: one {@link TcpConnectionFactory} per address, the key. */
    private static final class KeyedTcpFactory implements KeyedConnectionFactory<Object, TcpConnection>, DescribedFactory {

        private final Map<Object, TcpConnectionFactory> perAddress = new ConcurrentHashMap<>();
        private final Duration connect;
        private final Duration read;
        private final boolean noDelay;
        private final boolean keepAlive;
        private final SSLSocketFactory tls;

        KeyedTcpFactory(Duration connect, Duration read, boolean noDelay, boolean keepAlive, SSLSocketFactory tls) {
            this.connect = connect;
            this.read = read;
            this.noDelay = noDelay;
            this.keepAlive = keepAlive;
            this.tls = tls;
        }

        @Override
        public TcpConnection connect(Object key) throws Exception {
            return perAddress.computeIfAbsent(key, k -> tcp(String.valueOf(k), connect, read, noDelay, keepAlive, tls)).connect();
        }

        @Override
        public boolean validate(Object key, TcpConnection connection) {
            return connection.isAlive();
        }

        /** What every key's factory gets, as a socket takes it (timeouts in whole milliseconds); the address is the key. */
        @Override
        public Map<String, ?> settings() {
            Map<String, Object> settings = new LinkedHashMap<>(tcp("any-key:1", connect, read, noDelay, keepAlive, tls).settings()); // never dialled
            settings.remove("address");
            return settings;
        }
    }

    private SSLSocketFactory sslFactory(Function<String, SSLSocketFactory> ssl) {
        try {
            SSLSocketFactory factory = ssl.apply(properties.getSslBundle());
            if (factory == null) {
                throw new IllegalStateException("no SslBundles bean");
            }
            return factory;
        } catch (RuntimeException e) {
            throw new PoolConfigurationException(prefix + "ssl-bundle", properties.getSslBundle(),
                    "the name of an SSL bundle under spring.ssl.bundle (" + e.getMessage() + ")");
        }
    }

    private static TcpConnectionFactory tcp(String address, Duration connect, Duration read, boolean noDelay, boolean keepAlive,
                                            SSLSocketFactory tls) {
        TcpConnectionFactory.Builder builder = TcpConnectionFactory.to(address).connectTimeout(connect).readTimeout(read)
                .tcpNoDelay(noDelay).keepAlive(keepAlive);
        if (tls != null) {
            builder.tls(tls);
        }
        return builder.build();
    }

    /** Runs a builder step; an InvalidConfigException becomes one that names the Spring property. */
    private <T> T translate(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (PoolConfigurationException e) {
            throw e;
        } catch (InvalidConfigException e) {
            String message = e.getMessage();
            int must = message.indexOf(" must be ");
            int but = message.lastIndexOf(", but was ");
            String allowed = must >= 0 && but > must ? message.substring(must + 9, but) : message;
            String setting = PROPERTY_OF_SETTING.getOrDefault(e.setting(), kebab(e.setting()));
            Object value = e.value() instanceof Duration ? asWritten((Duration) e.value()) : e.value();
            throw new PoolConfigurationException(prefix + setting, value, kebabSettings(allowed));
        }
    }

    private static String kebabSettings(String text) {
        StringBuilder out = new StringBuilder();
        for (String word : text.split(" ")) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(word.matches("[a-z]+[A-Z][A-Za-z]*") ? kebab(word) : word);
        }
        return out.toString();
    }

    /**
     * A duration the way application.yml writes it: "-5m", not "PT-5M". In the largest unit that holds
     * it exactly and whose count fits a long (a duration of a billion days has no count of nanoseconds);
     * failing all, ISO-8601.
     */
    static String asWritten(Duration duration) {
        if (duration.isZero()) {
            return "0s"; // zero holds exactly in days too, and "0d" reads oddly
        }
        for (java.time.temporal.ChronoUnit unit : new java.time.temporal.ChronoUnit[] {java.time.temporal.ChronoUnit.DAYS,
                java.time.temporal.ChronoUnit.HOURS, java.time.temporal.ChronoUnit.MINUTES, java.time.temporal.ChronoUnit.SECONDS,
                java.time.temporal.ChronoUnit.MILLIS, java.time.temporal.ChronoUnit.MICROS, java.time.temporal.ChronoUnit.NANOS}) {
            try {
                if (duration.truncatedTo(unit).equals(duration)) {
                    return org.springframework.boot.convert.DurationStyle.SIMPLE.print(duration, unit);
                }
            } catch (ArithmeticException tooManyOfThisUnit) {
                // a smaller unit overflows too
                break;
            }
        }
        return duration.toString();
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
