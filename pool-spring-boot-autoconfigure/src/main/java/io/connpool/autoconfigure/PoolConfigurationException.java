package io.connpool.autoconfigure;

import io.connpool.InvalidConfigException;

/** A pool's configuration in the Spring environment is wrong; names the property as the user wrote it. */
public class PoolConfigurationException extends InvalidConfigException {

    private final String property;
    private final String allowed;

    public PoolConfigurationException(String property, Object value, String allowed) {
        super(property, value, allowed);
        this.property = property;
        this.allowed = allowed;
    }

    /** The property, e.g. {@code connpool.pools.orders.max-size}. */
    public String property() {
        return property;
    }

    /** What the property accepts. */
    public String allowed() {
        return allowed;
    }
}
