package io.connpool.autoconfigure;

import io.connpool.Routing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of one pool: {@code connpool.defaults.*} and {@code connpool.pools.<name>.*}. A pool
 * starts from the defaults and overrides what it sets.
 *
 * <p>The field comments become the descriptions an IDE shows (the configuration processor copies
 * them as they are): plain text only, no javadoc tags. Where a setting means something else for a
 * keyed or a shared pool, its comment says so.
 */
public class PoolProperties {

    /** Built-in connection type: tcp, a TCP connection (TLS with ssl-bundle) to address. Leave unset when factory is set. */
    private String type;

    /** Name of a ConnectionFactory bean (a KeyedConnectionFactory bean for a keyed pool) that opens the connections, instead of type. */
    private String factory;

    /**
     * For type tcp: host:port to connect to. Not used by a keyed pool, whose keys are the host:port
     * addresses. For a factory pool it is only shown, in the actuator.
     */
    private String address;

    /** For type tcp: how long a dial may take; zero: as long as the system allows. */
    private Duration connectTimeout = Duration.ofSeconds(5);

    /** For type tcp: how long a read may block; zero: forever. */
    private Duration readTimeout = Duration.ZERO;

    /** For type tcp: name of a Spring Boot SSL bundle (spring.ssl.bundle); the connections then speak TLS. */
    private String sslBundle;

    /** For type tcp: TCP_NODELAY, sending small writes at once instead of coalescing them. */
    private boolean tcpNoDelay = true;

    /** For type tcp: SO_KEEPALIVE, letting the operating system probe a connection that sits silent. */
    private boolean tcpKeepAlive = true;

    /** exclusive (one caller per connection) or shared (many calls share a connection; not for a keyed pool). */
    private Mode mode = Mode.EXCLUSIVE;

    /**
     * Cap on live connections, counting those being opened. For a keyed pool, the cap on all keys
     * together (max-per-key caps each key).
     */
    private int maxSize = 10;

    /**
     * Connections kept open in the background, replenished after losses. For a keyed pool, per key,
     * for every key used at least once.
     */
    private int minIdle = 0;

    /** Idle connections beyond this many are closed; default: max-size. Not used by a keyed pool: see max-idle-per-key. */
    private Integer maxIdle;

    /** How long a caller waits for a connection (for a shared pool, for room for its call). */
    private Duration acquireTimeout = Duration.ofSeconds(30);

    /**
     * Callers allowed to wait at once before the next fails at once (for a keyed pool, per key); unset
     * (default): all wait up to acquire-timeout.
     */
    private Integer maxPending;

    /**
     * How long the longest-waiting caller may be overtaken by callers arriving after it before returned
     * connections go to waiters strictly in arrival order (for a keyed pool, per key); zero: first come,
     * first served.
     */
    private Duration handOffAfter = Duration.ofNanos(500_000);

    /** Idle connections above min-idle (for a keyed pool, above min-idle of their key) unused this long are closed; zero: never. */
    private Duration idleTimeout = Duration.ofMinutes(10);

    /** Age at which a connection is retired when returned (never under its user); zero: no limit. */
    private Duration maxLifetime = Duration.ofMinutes(30);

    /** Validate a connection idle for validate-after-inactivity or more before handing it out. */
    private boolean validateOnBorrow = true;

    /** With validate-on-borrow: connections used more recently than this are handed out without validation. */
    private Duration validateAfterInactivity = Duration.ofSeconds(2);

    /**
     * How long the pool waits for a validation (on borrow, and in keepalive) before it counts the
     * connection as failed and closes it; on borrow, never longer than the caller's remaining wait.
     */
    private Duration validationTimeout = Duration.ofSeconds(5);

    /** Validate idle connections in the background this often; zero: off. */
    private Duration keepaliveInterval = Duration.ZERO;

    /**
     * Re-open lost connections in the background, back to min-idle (for a keyed pool, of each key),
     * probing after an outage.
     */
    private boolean revive = true;

    /** Log a lease held longer than this, with where it was acquired; zero: off. Not for a shared pool, whose leases are calls. */
    private Duration leakDetectionThreshold = Duration.ZERO;

    /**
     * Wait after a failed dial before the next; it doubles with each further failure, up to
     * connect-backoff-max, with jitter. For a keyed pool, per key.
     */
    private Duration connectBackoffInitial = Duration.ofMillis(200);

    /** Longest wait between failed dials, however many failed in a row; at least connect-backoff-initial. */
    private Duration connectBackoffMax = Duration.ofSeconds(10);

    /** Dials at once, so that a recovering server is not hit by a burst. For a keyed pool, per key. */
    private int maxConnecting = 2;

    /** For mode shared: calls running on one connection at once. */
    private int maxCallsPerConnection = 100;

    /** For mode shared: how a call picks its connection. */
    private Routing routing = Routing.LEAST_IN_FLIGHT;

    /** One pool, many destinations: a KeyedPool (for type tcp the key is a host:port string). */
    private boolean keyed = false;

    /** For a keyed pool: cap on live connections of one key (max-size is then the total of all keys). */
    private int maxPerKey = 10;

    /** For a keyed pool: idle connections of one key beyond this are closed; default: max-per-key. */
    private Integer maxIdlePerKey;

    /** Tags every new connection starts with. */
    private Map<String, String> tags = new LinkedHashMap<>();

    /** Set to false to leave this pool out (under connpool.defaults: every pool that does not set it). */
    private boolean enabled = true;

    /** How connections are used. */
    public enum Mode {
        /** One caller per connection at a time: a Pool (or KeyedPool). */
        EXCLUSIVE,
        /** Many calls share a connection: a SharedPool. */
        SHARED
    }

    /** A copy, for a pool to start from the defaults. */
    PoolProperties copy() {
        PoolProperties c = new PoolProperties();
        c.type = type;
        c.factory = factory;
        c.address = address;
        c.connectTimeout = connectTimeout;
        c.readTimeout = readTimeout;
        c.sslBundle = sslBundle;
        c.tcpNoDelay = tcpNoDelay;
        c.tcpKeepAlive = tcpKeepAlive;
        c.mode = mode;
        c.maxSize = maxSize;
        c.minIdle = minIdle;
        c.maxIdle = maxIdle;
        c.acquireTimeout = acquireTimeout;
        c.maxPending = maxPending;
        c.handOffAfter = handOffAfter;
        c.idleTimeout = idleTimeout;
        c.maxLifetime = maxLifetime;
        c.validateOnBorrow = validateOnBorrow;
        c.validateAfterInactivity = validateAfterInactivity;
        c.validationTimeout = validationTimeout;
        c.keepaliveInterval = keepaliveInterval;
        c.revive = revive;
        c.leakDetectionThreshold = leakDetectionThreshold;
        c.connectBackoffInitial = connectBackoffInitial;
        c.connectBackoffMax = connectBackoffMax;
        c.maxConnecting = maxConnecting;
        c.maxCallsPerConnection = maxCallsPerConnection;
        c.routing = routing;
        c.keyed = keyed;
        c.maxPerKey = maxPerKey;
        c.maxIdlePerKey = maxIdlePerKey;
        c.tags = new LinkedHashMap<>(tags);
        c.enabled = enabled;
        return c;
    }

    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    public String getFactory() { return factory; }
    public void setFactory(String factory) { this.factory = factory; }
    public String getAddress() { return address; }
    public void setAddress(String address) { this.address = address; }
    public Duration getConnectTimeout() { return connectTimeout; }
    public void setConnectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; }
    public Duration getReadTimeout() { return readTimeout; }
    public void setReadTimeout(Duration readTimeout) { this.readTimeout = readTimeout; }
    public String getSslBundle() { return sslBundle; }
    public void setSslBundle(String sslBundle) { this.sslBundle = sslBundle; }
    public boolean isTcpNoDelay() { return tcpNoDelay; }
    public void setTcpNoDelay(boolean tcpNoDelay) { this.tcpNoDelay = tcpNoDelay; }
    public boolean isTcpKeepAlive() { return tcpKeepAlive; }
    public void setTcpKeepAlive(boolean tcpKeepAlive) { this.tcpKeepAlive = tcpKeepAlive; }
    public Mode getMode() { return mode; }
    public void setMode(Mode mode) { this.mode = mode; }
    public int getMaxSize() { return maxSize; }
    public void setMaxSize(int maxSize) { this.maxSize = maxSize; }
    public int getMinIdle() { return minIdle; }
    public void setMinIdle(int minIdle) { this.minIdle = minIdle; }
    public Integer getMaxIdle() { return maxIdle; }
    public void setMaxIdle(Integer maxIdle) { this.maxIdle = maxIdle; }
    public Duration getAcquireTimeout() { return acquireTimeout; }
    public void setAcquireTimeout(Duration acquireTimeout) { this.acquireTimeout = acquireTimeout; }
    public Integer getMaxPending() { return maxPending; }
    public void setMaxPending(Integer maxPending) { this.maxPending = maxPending; }
    public Duration getHandOffAfter() { return handOffAfter; }
    public void setHandOffAfter(Duration handOffAfter) { this.handOffAfter = handOffAfter; }
    public Duration getIdleTimeout() { return idleTimeout; }
    public void setIdleTimeout(Duration idleTimeout) { this.idleTimeout = idleTimeout; }
    public Duration getMaxLifetime() { return maxLifetime; }
    public void setMaxLifetime(Duration maxLifetime) { this.maxLifetime = maxLifetime; }
    public boolean isValidateOnBorrow() { return validateOnBorrow; }
    public void setValidateOnBorrow(boolean validateOnBorrow) { this.validateOnBorrow = validateOnBorrow; }
    public Duration getValidateAfterInactivity() { return validateAfterInactivity; }
    public void setValidateAfterInactivity(Duration validateAfterInactivity) { this.validateAfterInactivity = validateAfterInactivity; }
    public Duration getValidationTimeout() { return validationTimeout; }
    public void setValidationTimeout(Duration validationTimeout) { this.validationTimeout = validationTimeout; }
    public Duration getKeepaliveInterval() { return keepaliveInterval; }
    public void setKeepaliveInterval(Duration keepaliveInterval) { this.keepaliveInterval = keepaliveInterval; }
    public boolean isRevive() { return revive; }
    public void setRevive(boolean revive) { this.revive = revive; }
    public Duration getLeakDetectionThreshold() { return leakDetectionThreshold; }
    public void setLeakDetectionThreshold(Duration leakDetectionThreshold) { this.leakDetectionThreshold = leakDetectionThreshold; }
    public Duration getConnectBackoffInitial() { return connectBackoffInitial; }
    public void setConnectBackoffInitial(Duration connectBackoffInitial) { this.connectBackoffInitial = connectBackoffInitial; }
    public Duration getConnectBackoffMax() { return connectBackoffMax; }
    public void setConnectBackoffMax(Duration connectBackoffMax) { this.connectBackoffMax = connectBackoffMax; }
    public int getMaxConnecting() { return maxConnecting; }
    public void setMaxConnecting(int maxConnecting) { this.maxConnecting = maxConnecting; }
    public int getMaxCallsPerConnection() { return maxCallsPerConnection; }
    public void setMaxCallsPerConnection(int maxCallsPerConnection) { this.maxCallsPerConnection = maxCallsPerConnection; }
    public Routing getRouting() { return routing; }
    public void setRouting(Routing routing) { this.routing = routing; }
    public boolean isKeyed() { return keyed; }
    public void setKeyed(boolean keyed) { this.keyed = keyed; }
    public int getMaxPerKey() { return maxPerKey; }
    public void setMaxPerKey(int maxPerKey) { this.maxPerKey = maxPerKey; }
    public Integer getMaxIdlePerKey() { return maxIdlePerKey; }
    public void setMaxIdlePerKey(Integer maxIdlePerKey) { this.maxIdlePerKey = maxIdlePerKey; }
    public Map<String, String> getTags() { return tags; }
    public void setTags(Map<String, String> tags) { this.tags = tags; }
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
}
