package io.connpool.autoconfigure;

import io.connpool.PoolListener;

/**
 * Gives each pool built from the configuration a listener; beans of this type are picked up (the
 * metrics auto-configuration provides one). Return {@code null} for a pool to leave it alone.
 */
@FunctionalInterface
public interface PoolListenerProvider {

    PoolListener listenerFor(String poolName);
}
