package io.connpool.samples.redis;

import io.connpool.PoolException;
import io.connpool.PoolTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Real Redis work through the pool: every handler borrows a connection for exactly one command (or one
 * pipelined batch) and gives it back, whatever happens. A dead connection (an {@code IOException}) is
 * closed by the pool, not returned.
 */
@RestController
class KeyValueController {

    private static final String POOL = "redis";

    private final PoolTemplate pools;

    KeyValueController(PoolTemplate pools) {
        this.pools = pools;
    }

    @GetMapping("/kv/{key}")
    ResponseEntity<Map<String, String>> get(@PathVariable String key) {
        String value = pools.withConnection(POOL, (RedisConnection redis) -> redis.get(key));
        return value == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(Map.of("key", key, "value", value));
    }

    @PutMapping("/kv/{key}")
    Map<String, String> put(@PathVariable String key, @RequestBody String value) {
        pools.withConnection(POOL, (RedisConnection redis) -> {
            redis.set(key, value);
            return null;
        });
        return Map.of("key", key, "value", value);
    }

    @DeleteMapping("/kv/{key}")
    Map<String, Object> delete(@PathVariable String key) {
        long deleted = pools.withConnection(POOL, (RedisConnection redis) -> redis.del(key));
        return Map.of("key", key, "deleted", deleted);
    }

    @PostMapping("/counters/{name}")
    Map<String, Object> increment(@PathVariable String name) {
        long value = pools.withConnection(POOL, (RedisConnection redis) -> redis.incr("counter:" + name));
        return Map.of("counter", name, "value", value);
    }

    /** Redis unreachable, pool exhausted or closed: the pool's message says which, and why. */
    @ExceptionHandler(PoolException.class)
    ResponseEntity<Map<String, String>> unavailable(PoolException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", String.valueOf(e.getMessage())));
    }
}
