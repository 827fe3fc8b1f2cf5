package io.connpool.reliability;

import io.connpool.testkit.OsResources;
import io.connpool.Pool;
import io.connpool.reliability.Ledger.Watched;
import io.connpool.samples.redis.RedisConnection;
import io.connpool.samples.redis.RedisConnectionFactory;
import io.connpool.testkit.RedisProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A bounded load run against a real redis-server with a fault every few seconds, checking the ledger's
 * invariants and that nothing is left behind. Run it for a minute:
 *
 * <pre>
 * ./mvnw -q -pl reliability -am compile exec:java -Dredis-sample.skip=true                       # 60 s, 8 threads
 * ./mvnw -q -pl reliability -am compile exec:java -Dredis-sample.skip=true -Dexec.args="20 16"   # 20 s, 16 threads
 * </pre>
 *
 * The faults, picked at random: the server killed (SIGKILL) and restarted on the same port after a
 * moment; the server frozen (SIGSTOP: a half-open peer that accepts but never answers) and thawed;
 * every client connection reset by the server ({@code CLIENT KILL}).
 */
public final class Soak {

    /** The pool under test: 8 connections, 4 kept idle, probing idle ones every 250 ms. */
    static final int MAX_SIZE = 8;
    static final int MIN_IDLE = 4;

    /** What a run did and left behind. */
    public record Result(Duration ran, int threads, Ledger ledger, Map<String, Integer> faults,
                         List<Long> recoveryMillis, int fdBefore, int fdAfter, List<String> threadsAfter) {

        /** Everything that must never happen; empty for a good run. */
        public List<String> violations() {
            List<String> violations = new ArrayList<>(ledger.violations());
            if (ledger.open() != 0) {
                violations.add(ledger.open() + " connections still open after close()");
            }
            if (fdBefore >= 0 && fdAfter > fdBefore) {
                violations.add("file descriptors: " + fdBefore + " before, " + fdAfter + " after close()");
            }
            if (!threadsAfter.isEmpty()) {
                violations.add("pool threads alive after close(): " + threadsAfter);
            }
            return violations;
        }

        public long maxRecoveryMillis() {
            return recoveryMillis.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        @Override
        public String toString() {
            long s = ledger.sent();
            return String.format("soak: %d s, %d threads, faults %s%n"
                            + "  operations: %s%n"
                            + "  what failed callers were told (first of each kind): %s%n"
                            + "  throughput: %.0f ops/s; success rate %.2f %%%n"
                            + "  recovery after each fault (first success once the fault ended): %s ms, max %d ms%n"
                            + "  file descriptors: %d before, %d after close(); pool threads after close(): %s%n"
                            + "  invariants: %s",
                    ran.toSeconds(), threads, faults, ledger, ledger.failureExamples(), s / Math.max(1.0, ran.toMillis() / 1000.0),
                    s == 0 ? 0.0 : 100.0 * ledger.succeeded() / s, recoveryMillis, maxRecoveryMillis(),
                    fdBefore, fdAfter, threadsAfter, violations().isEmpty() ? "all kept" : violations());
        }
    }

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Result result = run(Duration.ofSeconds(seconds), threads, System.nanoTime());
        System.out.println(result);
        if (!result.violations().isEmpty()) {
            System.exit(1);
        }
    }

    public static Result run(Duration duration, int threads, long seed) throws Exception {
        Random random = new Random(seed);
        Ledger ledger = new Ledger(MAX_SIZE);
        Map<String, Integer> faults = new TreeMap<>();
        List<Long> recoveries = new ArrayList<>();
        int fdBefore;
        long started;
        try (RedisProcess redis = RedisProcess.onFreePort()) {
            fdBefore = OsResources.openFileDescriptors();
            Pool<Watched<RedisConnection>> pool = pool(ledger, redis);
            CountDownLatch done = new CountDownLatch(threads);
            long deadline = System.nanoTime() + duration.toNanos();
            started = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread worker = new Thread(() -> {
                    try {
                        work(pool, ledger, id, deadline);
                    } finally {
                        done.countDown();
                    }
                }, "soak-worker-" + t);
                worker.start();
            }
            while (System.nanoTime() < deadline - TimeUnit.SECONDS.toNanos(3)) {
                Thread.sleep(1500 + random.nextInt(1500));
                String fault = Faults.inject(redis, random);
                faults.merge(fault, 1, Integer::sum);
                recoveries.add(Faults.millisUntilSuccess(ledger, Duration.ofSeconds(20)));
            }
            done.await();
            pool.close();
            ledger.awaitAllClosed();
        }
        Duration ran = Duration.ofNanos(System.nanoTime() - started);
        return new Result(ran, threads, ledger, faults, recoveries,
                fdBefore, Faults.awaitFileDescriptors(fdBefore), Faults.awaitNoPoolThreads());
    }

    static Pool<Watched<RedisConnection>> pool(Ledger ledger, RedisProcess redis) {
        return Pool.builder(ledger.watch(new RedisConnectionFactory(redis.address(), Duration.ofMillis(500),
                        Duration.ofMillis(500))))
                .name("soak").maxSize(MAX_SIZE).minIdle(MIN_IDLE).acquireTimeout(Duration.ofSeconds(1))
                .keepaliveInterval(Duration.ofMillis(250)).validateAfterInactivity(Duration.ofSeconds(1))
                .connectBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)).build();
    }

    private static void work(Pool<Watched<RedisConnection>> pool, Ledger ledger, int id, long deadline) {
        Random random = new Random(id);
        long n = 0;
        while (System.nanoTime() < deadline) {
            String key = "soak:" + id + ":" + (n++ % 16);
            int pick = random.nextInt(3);
            boolean ok = ledger.operate(pool, redis -> {
                switch (pick) {
                    case 0:
                        redis.set(key, Long.toString(System.nanoTime()));
                        return null;
                    case 1:
                        return redis.get(key);
                    default:
                        return redis.incr("soak:counter");
                }
            });
            if (!ok) {
                try {
                    Thread.sleep(1); // a failing pool fails fast: do not turn the run into a busy loop
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
