package io.connpool.samples.redis;

import io.connpool.CallbackException;
import io.connpool.PoolTemplate;
import io.connpool.Secrets;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.net.URI;

/**
 * Real Redis work through the pool: every handler borrows a connection for exactly one command (or one
 * pipelined batch) and gives it back, whatever happens. A dead connection (an {@code IOException}) is
 * closed by the pool, not returned. When the pool cannot give a connection (Redis down, pool exhausted
 * or closed) the starter answers 503 with Problem Details. What a command itself threw is this app's
 * business: a connection lost in the middle of one is a 503 too (below), anything else a 500.
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

    /**
     * Redis went away while a command was on the wire (the first request after Redis dies meets a
     * connection the pool still thought alive): Redis is unavailable, as the starter's 503s say.
     */
    @ExceptionHandler(CallbackException.class)
    ResponseEntity<ProblemDetail> redisLostMidCommand(CallbackException e) throws CallbackException {
        if (!(e.getCause() instanceof IOException)) {
            throw e;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "Lost the connection to Redis during the command: " + Secrets.redact(e.getCause().getMessage()));
        problem.setType(URI.create("urn:connpool:sample:redis-connection-lost"));
        problem.setTitle("Redis connection lost");
        problem.setProperty("pool", POOL);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
    }
}
