package io.connpool;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of one pooled connection, as shown by {@code connections()} and given to filters and
 * listeners.
 *
 * @param id            the connection's number within its pool, from 1
 * @param key           the destination key of a keyed pool, {@code null} otherwise
 * @param state         where the connection is in its life
 * @param createdAt     when it was opened
 * @param lastUsedAt    when it was last returned to the pool (its creation time if never used, or if
 *                      the pool keeps no time: no lifetime, idle timeout, validation, keepalive, leak
 *                      detection or listener)
 * @param useCount      how many times it was handed out
 * @param inFlight      calls running on it now (0 or 1 for an exclusive pool)
 * @param tags          its tags
 * @param leakSuspected true when its current holder has kept it past the leak-detection threshold
 */
public record ConnectionInfo(long id, Object key, ConnectionState state, Instant createdAt, Instant lastUsedAt,
                             long useCount, int inFlight, Map<String, String> tags, boolean leakSuspected) {

    public ConnectionInfo {
        tags = Map.copyOf(tags);
    }

    /** A tag's value, or {@code null}. */
    public String tag(String name) {
        return tags.get(name);
    }
}
