package io.connpool.benchmarks;

import io.connpool.ConnectionInfo;
import io.connpool.SharedPool;
import io.connpool.Ticker;
import io.connpool.internal.Engine;
import io.connpool.internal.PoolConfig;
import io.connpool.internal.SharedConnectionPool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How evenly each router spreads calls that take different times: 8 threads make calls holding a
 * connection 0–50 µs (busy), over 4 connections of 64 calls each; every 200 µs a sampler records the
 * busiest connection's in-flight calls against the mean. Prints, per router, the average of that
 * ratio (1.0 = perfectly even). Run:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.connpool.benchmarks.RoutingBalance
 * </pre>
 */
public final class RoutingBalance {

    private RoutingBalance() {
    }

    public static void main(String[] args) throws Exception {
        for (Engine.Router router : new Engine.Router[] {Engine.Router.ROUND_ROBIN, Engine.Router.LEAST_IN_FLIGHT,
                Engine.Router.TWO_CHOICES, Engine.Router.UNIFORM_RANDOM}) {
            System.out.printf("%-16s busiest/mean in-flight: %.2f%n", router, measure(router));
        }
    }

    private static double measure(Engine.Router router) throws Exception {
        PoolConfig config = new PoolConfig("balance", 4, 4, 4, Duration.ofSeconds(30).toNanos(), 10_000, 0, 0,
                false, 0, 0, true, 0, List.of(), Ticker.system(), Duration.ofMillis(200).toNanos(),
                Duration.ofSeconds(10).toNanos(), 2, e -> false, Map.of(), Duration.ofMillis(1).toNanos(),
                Duration.ofSeconds(5).toNanos());
        SharedPool<Object> pool = new SharedConnectionPool<>(config, Object::new, 64, router);
        while (pool.stats().idle() < 4) {
            Thread.sleep(1);
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread worker = new Thread(() -> {
                while (!stop.get()) {
                    pool.call(c -> {
                        long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(50_000);
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        return null;
                    });
                }
            });
            worker.start();
            workers.add(worker);
        }
        double ratioSum = 0;
        int samples = 0;
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < end) {
            List<ConnectionInfo> connections = pool.connections();
            int max = 0;
            int sum = 0;
            for (ConnectionInfo c : connections) {
                max = Math.max(max, c.inFlight());
                sum += c.inFlight();
            }
            if (sum > 0) {
                ratioSum += max / (sum / (double) connections.size());
                samples++;
            }
            Thread.sleep(0, 200_000);
        }
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        pool.close();
        return ratioSum / samples;
    }
}
