package io.connpool.autoconfigure.endpoint;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.connpool.CircuitState;
import io.connpool.ConnectionInfo;
import io.connpool.KeyedPool;
import io.connpool.ManagedPool;
import io.connpool.PoolRegistry;
import io.connpool.PoolStats;
import io.connpool.Secrets;
import io.connpool.SharedPool;
import io.connpool.autoconfigure.PoolCondition;
import io.connpool.autoconfigure.PoolCondition.KeyCondition;
import io.connpool.autoconfigure.PoolDefinitions;
import io.connpool.autoconfigure.PoolProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /actuator/pools}: every pool's figures, one pool's settings in effect and connections (and,
 * for a keyed pool, each destination's state), and the managing actions. Read-only unless the user
 * grants more ({@code management.endpoint.pools.access=unrestricted}).
 *
 * <p>The responses are {@link OperationResponseBody} records, so they are written by the actuator's own
 * JSON mapper whatever the application's is configured to do; that mapper leaves out null fields.
 * Durations are ISO-8601 text ({@code PT2S}), as {@code /actuator/configprops} shows them.
 */
@Endpoint(id = "pools", defaultAccess = Access.READ_ONLY)
public class PoolsEndpoint {

    private final PoolRegistry registry;
    private final @Nullable PoolDefinitions definitions;

    public PoolsEndpoint(PoolRegistry registry, @Nullable PoolDefinitions definitions) {
        this.registry = registry;
        this.definitions = definitions;
    }

    /** Every pool: its figures, mode and health. */
    @ReadOperation
    public PoolsDescriptor pools() {
        Map<String, PoolSummary> pools = new LinkedHashMap<>();
        registry.pools().forEach((name, pool) -> {
            PoolCondition condition = PoolCondition.of(pool);
            boolean keyed = pool instanceof KeyedPool;
            pools.put(name, new PoolSummary(shown(pool.stats()), mode(pool), condition.healthy(),
                    keyed ? condition.keys().size() : null,
                    keyed ? (int) condition.keys().stream().filter(k -> k.status() == PoolCondition.Status.DOWN).count() : null));
        });
        return new PoolsDescriptor(pools);
    }

    /**
     * One pool: figures, health, the settings in effect (secrets masked), each destination's state for a
     * keyed pool, and every connection. 404 for an unknown name.
     */
    @ReadOperation
    public @Nullable PoolDescriptor pool(@Selector String name) {
        ManagedPool pool = registry.pools().get(name);
        if (pool == null) {
            return null;
        }
        PoolCondition condition = PoolCondition.of(pool);
        Map<String, KeyDescriptor> keys = null;
        if (pool instanceof KeyedPool) {
            keys = new LinkedHashMap<>();
            for (KeyCondition key : condition.keys()) {
                keys.put(key.key(), KeyDescriptor.of(key));
            }
        }
        return new PoolDescriptor(name, mode(pool), condition.status().name(), condition.healthy(), shown(pool.stats()),
                settings(name, pool), keys, pool.connections().stream().map(PoolsEndpoint::shown).toList());
    }

    /**
     * Manages one pool: {@code {"action": "evict-idle" | "drain" | "resize" | "pause" | "resume", "maxSize": 12}}.
     * Returns the pool's figures after the action. Over HTTP, {@link PoolsEndpointWebExtension} answers
     * a refused request with a body saying why; here (JMX) it is an {@link InvalidEndpointRequestException}.
     */
    @WriteOperation
    public ActionDone manage(@Selector String name, @Nullable String action, @Nullable String maxSize) {
        ActionOutcome outcome = apply(name, action, maxSize);
        if (outcome instanceof ActionRefused) {
            ActionRefused refused = (ActionRefused) outcome;
            throw new InvalidEndpointRequestException(refused.error(), refused.error());
        }
        return (ActionDone) outcome;
    }

    /**
     * Runs an action, or says why not. {@code maxSize} comes as text so that a value that is not a
     * number is answered here, with the allowed values, rather than by the framework with a bare 400.
     */
    ActionOutcome apply(String name, @Nullable String action, @Nullable String maxSize) {
        ManagedPool pool = registry.pools().get(name);
        if (pool == null) {
            return new ActionRefused(ActionRefused.NOT_FOUND, "No pool named '" + name + "'; the pools are " + registry.names(),
                    name, new Received(action, maxSize), null, List.copyOf(registry.names()));
        }
        Optional<Action> chosen = Action.of(action);
        if (chosen.isEmpty()) {
            String error = action == null || action.isBlank()
                    ? "No action given for pool '" + name + "'; send {\"action\": one of " + Action.names() + "}"
                    : "Unknown action '" + action + "' for pool '" + name + "'; the actions are " + Action.names();
            return ActionRefused.badRequest(error, name, action, maxSize);
        }
        Integer evicted = null;
        switch (chosen.get()) {
            case EVICT_IDLE -> evicted = pool.evictIdle();
            case DRAIN -> pool.drain();
            case RESIZE -> {
                Integer size = parseMaxSize(maxSize);
                if (size == null) {
                    return ActionRefused.badRequest("Action 'resize' on pool '" + name + "' needs \"maxSize\": a whole number of at least 1"
                            + (maxSize == null ? ", and none was given" : ", but was '" + maxSize + "'"), name, action, maxSize);
                }
                pool.resize(size);
            }
            case PAUSE -> pool.pause();
            case RESUME -> pool.resume();
        }
        return new ActionDone(name, chosen.get().shownAs, evicted, shown(pool.stats()));
    }

    private static @Nullable Integer parseMaxSize(@Nullable String maxSize) {
        if (maxSize == null) {
            return null;
        }
        try {
            int size = Integer.parseInt(maxSize.trim());
            return size >= 1 ? size : null;
        } catch (NumberFormatException notAWholeNumber) {
            return null;
        }
    }

    static String mode(ManagedPool pool) {
        return pool instanceof KeyedPool ? "keyed" : pool instanceof SharedPool ? "shared" : "exclusive";
    }

    /** The figures with the last error's credentials masked: a factory's message may quote a URI with user info. */
    private static PoolStats shown(PoolStats s) {
        return new PoolStats(s.total(), s.idle(), s.inUse(), s.pending(), s.maxSize(), s.minIdle(), s.created(),
                s.destroyed(), s.createFailures(), s.successfulOperations(), s.failedOperations(), s.timeouts(),
                s.inFlight(), s.creating(), s.leaks(), s.circuit(), Secrets.redact(s.lastError()), s.lastErrorAt());
    }

    /**
     * What the pool is (its type or factory bean, from configuration) then the settings the pool itself
     * reports, in effect; a pool bean of the user's own shows the latter only.
     */
    private Map<String, Object> settings(String name, ManagedPool pool) {
        Map<String, Object> settings = new LinkedHashMap<>();
        PoolProperties definition = definitions == null ? null : definitions.get(name);
        if (definition != null) {
            putIfSet(settings, "type", definition.getType());
            putIfSet(settings, "factory", definition.getFactory());
            putIfSet(settings, "sslBundle", definition.getSslBundle());
            putIfSet(settings, "address", definition.getAddress()); // a factory pool's is only shown: its factory may say better, below
        }
        settings.putAll(pool.settings());
        Map<String, Object> shown = new LinkedHashMap<>();
        settings.forEach((setting, value) -> shown.put(setting, shownValue(setting, value)));
        return shown;
    }

    private static void putIfSet(Map<String, Object> settings, String name, @Nullable Object value) {
        if (value != null) {
            settings.put(name, value);
        }
    }

    /**
     * A setting's value as JSON should carry it whatever mapper writes it: durations as ISO-8601 text,
     * enums by name, maps (tags) entry by entry; anything a factory reports that is not a plain value
     * as its text. Masked by the one rule of {@link Secrets}: by name, user info of an address, URIs in text.
     */
    private static @Nullable Object shownValue(String name, @Nullable Object value) {
        if (value == null || Secrets.isSecretName(name)) {
            return Secrets.shown(name, value);
        }
        if (value instanceof Map) {
            Map<String, Object> entries = new LinkedHashMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> entries.put(String.valueOf(k), shownValue(String.valueOf(k), v)));
            return entries;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Duration) {
            return value.toString();
        }
        if (value instanceof Enum) {
            return ((Enum<?>) value).name();
        }
        String text = String.valueOf(value);
        return "address".equals(name) ? Secrets.maskUserInfo(text) : Secrets.redact(text);
    }

    /** A connection as the endpoint shows it: tags named like secrets masked, by the same rule as the settings. */
    private static ConnectionInfo shown(ConnectionInfo c) {
        Object key = c.key() instanceof String ? Secrets.redact((String) c.key()) : c.key();
        Map<String, String> tags = new LinkedHashMap<>();
        c.tags().forEach((name, value) -> tags.put(name, String.valueOf(Secrets.shown(name, value))));
        return new ConnectionInfo(c.id(), key, c.state(), c.createdAt(), c.lastUsedAt(), c.useCount(), c.inFlight(),
                tags, c.leakSuspected());
    }

    /** The actions of {@link #manage}, as the request names them. */
    enum Action {
        EVICT_IDLE("evict-idle"), DRAIN("drain"), RESIZE("resize"), PAUSE("pause"), RESUME("resume");

        final String shownAs;

        Action(String shownAs) {
            this.shownAs = shownAs;
        }

        static Optional<Action> of(@Nullable String name) {
            return Arrays.stream(values()).filter(a -> a.shownAs.equalsIgnoreCase(name == null ? "" : name.trim())).findFirst();
        }

        static List<String> names() {
            return Arrays.stream(values()).map(a -> a.shownAs).toList();
        }
    }

    /** {@code GET /actuator/pools}. */
    public record PoolsDescriptor(Map<String, PoolSummary> pools) implements OperationResponseBody {
    }

    /**
     * One pool in {@code GET /actuator/pools}: its figures, flat, then its mode and health; for a keyed
     * pool also how many destinations it knows and how many of them are down.
     */
    public record PoolSummary(@JsonUnwrapped PoolStats stats, String mode, boolean healthy,
                              @Nullable Integer keys, @Nullable Integer keysDown) {
    }

    /** {@code GET /actuator/pools/{name}}; {@code keys} for a keyed pool only, down keys first. */
    public record PoolDescriptor(String name, String mode, String status, boolean healthy, PoolStats stats,
                                 Map<String, Object> settings, @Nullable Map<String, KeyDescriptor> keys,
                                 List<ConnectionInfo> connections) implements OperationResponseBody {
    }

    /**
     * One destination of a keyed pool: whether it serves (a key is DOWN when it has no live connection
     * and opening one is failing), its circuit, its last error, and its figures.
     */
    public record KeyDescriptor(String status, boolean healthy, CircuitState circuit, @Nullable String lastError,
                                @Nullable Instant lastErrorAt, PoolStats stats) {

        static KeyDescriptor of(KeyCondition key) {
            PoolStats stats = shown(key.stats());
            return new KeyDescriptor(key.status().name(), key.status() == PoolCondition.Status.UP, stats.circuit(),
                    stats.lastError(), stats.lastErrorAt(), stats);
        }
    }

    /** What a {@code POST} answers: the action done, or why it was refused. */
    public sealed interface ActionOutcome extends OperationResponseBody permits ActionDone, ActionRefused {
    }

    /** An action done: the pool's figures after it ({@code evicted}: for evict-idle, how many connections it closed). */
    public record ActionDone(String pool, String action, @Nullable Integer evicted, PoolStats stats) implements ActionOutcome {
    }

    /**
     * A refused action: what was wrong, what was received, and what is allowed ({@code allowedActions}, or
     * for an unknown pool {@code pools}, the names there are).
     */
    public record ActionRefused(int status, String error, String pool, Received received,
                                @Nullable List<String> allowedActions, @Nullable List<String> pools) implements ActionOutcome {

        static final int BAD_REQUEST = 400;
        static final int NOT_FOUND = 404;

        static ActionRefused badRequest(String error, String pool, @Nullable String action, @Nullable String maxSize) {
            return new ActionRefused(BAD_REQUEST, error, pool, new Received(action, maxSize), Action.names(), null);
        }
    }

    /** The request's fields as they came. */
    public record Received(@Nullable String action, @Nullable String maxSize) {
    }
}
