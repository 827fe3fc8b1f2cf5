package io.connpool.reliability;

import io.connpool.testkit.OsResources;
import io.connpool.samples.redis.RedisConnection;
import io.connpool.samples.redis.RedisConnectionFactory;
import io.connpool.testkit.RedisProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/** The faults a run injects into a real redis-server, and the clocks that time the recovery. */
public final class Faults {

    private static final long POLL_MILLIS = 2;

    private Faults() {
    }

    /** Injects one fault at random and ends it; returns its name. */
    public static String inject(RedisProcess redis, Random random) throws InterruptedException {
        switch (random.nextInt(3)) {
            case 0:
                redis.kill();
                Thread.sleep(200 + random.nextInt(600));
                redis.start();
                return "kill+restart";
            case 1:
                redis.freeze();
                Thread.sleep(300 + random.nextInt(700));
                redis.thaw();
                return "freeze";
            default:
                resetAllClients(redis);
                return "reset-all";
        }
    }

    /** Redis closes every client connection but the one asking ({@code CLIENT KILL TYPE normal}). */
    public static long resetAllClients(RedisProcess redis) {
        try (RedisConnection admin = RedisConnectionFactory.to(redis.address()).connect()) {
            return (Long) admin.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        } catch (IOException e) {
            throw new UncheckedIOException("CLIENT KILL on " + redis, e);
        }
    }

    /** Milliseconds until the ledger books a success that began after now (-1 if none within the bound). */
    public static long millisUntilSuccess(Ledger ledger, Duration bound) throws InterruptedException {
        long start = System.nanoTime();
        long before = ledger.succeeded();
        // A success booked now may have started before the fault ended: wait for two, the second is new.
        while (ledger.succeeded() < before + 2) {
            if (System.nanoTime() - start > bound.toNanos()) {
                return -1;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /** Waits (up to 5 s) for the open descriptors to fall back to {@code baseline}; returns the last count. */
    public static int awaitFileDescriptors(int baseline) throws InterruptedException {
        int now = OsResources.openFileDescriptors();
        for (long end = System.nanoTime() + Duration.ofSeconds(5).toNanos(); now > baseline && System.nanoTime() < end; ) {
            Thread.sleep(10);
            now = OsResources.openFileDescriptors();
        }
        return now;
    }

    /** Waits (up to 5 s) for the pool threads to end; returns those still alive. */
    public static List<String> awaitNoPoolThreads() throws InterruptedException {
        List<String> alive = OsResources.poolThreads();
        for (long end = System.nanoTime() + Duration.ofSeconds(5).toNanos(); !alive.isEmpty() && System.nanoTime() < end; ) {
            Thread.sleep(10);
            alive = OsResources.poolThreads();
        }
        return alive;
    }
}
