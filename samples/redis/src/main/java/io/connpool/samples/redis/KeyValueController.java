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

    record Entry(String key, String value) {
    }

    record Deleted(String key, long deleted) {
    }

    record Counter(String counter, long value) {
    }

    @GetMapping("/kv/{key}")
    ResponseEntity<Entry> get(@PathVariable String key) {
        String value = pools.withConnection(POOL, (RedisConnection redis) -> redis.get(key));
        return value == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(new Entry(key, value));
    }

    @PutMapping("/kv/{key}")
    Entry put(@PathVariable String key, @RequestBody String value) {
        pools.withConnection(POOL, (RedisConnection redis) -> {
            redis.set(key, value);
            return null;
        });
        return new Entry(key, value);
    }

    @DeleteMapping("/kv/{key}")
    Deleted delete(@PathVariable String key) {
        return new Deleted(key, pools.withConnection(POOL, (RedisConnection redis) -> redis.del(key)));
    }

    @PostMapping("/counters/{name}")
    Counter increment(@PathVariable String name) {
        return new Counter(name, pools.withConnection(POOL, (RedisConnection redis) -> redis.incr("counter:" + name)));
    }

    /** Redis unreachable, pool exhausted or closed: the pool's message says which, and why. */
    @ExceptionHandler(PoolException.class)
    ResponseEntity<Map<String, String>> unavailable(PoolException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", String.valueOf(e.getMessage())));
    }
}
