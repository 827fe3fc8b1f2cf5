package io.connpool.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** connpool's configuration: named pools under {@code connpool.pools}, shared settings under {@code connpool.defaults}. */
@ConfigurationProperties("connpool")
public class ConnPoolProperties {

    /** Set to false to turn connpool's auto-configuration off. */
    private boolean enabled = true;

    /** How long shutdown waits for connections in use to be returned before closing them. */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /**
     * Report each pool OUT_OF_SERVICE in health until it has reached min-idle once, so that a readiness
     * group including "pools" lets a new instance take traffic only when its pools are warm.
     */
    private boolean warmBeforeReady = false;

    /** Settings every pool starts from; a pool overrides what it sets. */
    @NestedConfigurationProperty
    private final PoolProperties defaults = new PoolProperties();

    /**
     * The pools, by name; each becomes a bean of that name. Under a name go the same keys as under
     * connpool.defaults (type, address, max-size, ...), each overriding its default for that pool.
     */
    private final Map<String, PoolProperties> pools = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public boolean isWarmBeforeReady() {
        return warmBeforeReady;
    }

    public void setWarmBeforeReady(boolean warmBeforeReady) {
        this.warmBeforeReady = warmBeforeReady;
    }

    public PoolProperties getDefaults() {
        return defaults;
    }

    public Map<String, PoolProperties> getPools() {
        return pools;
    }
}
