package io.connpool.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every pool in the JVM shares: one scheduler thread ({@code connpool-scheduler}) that only
 * triggers work, and an elastic set of workers ({@code connpool-worker-N}) that dial, validate and close
 * connections, so that a factory hanging in one pool never delays another. Workers end after 30 s
 * without work. Both are daemon threads, started with the first open pool and stopped when the last
 * pool closes: an idle JVM with no open pool runs no connpool thread.
 */
final class Background {

    private static final Object LOCK = new Object();
    private static int users;
    private static ScheduledThreadPoolExecutor scheduler;
    private static ThreadPoolExecutor workers;

    private Background() {
    }

    /** Registers a pool as a user of the shared threads. */
    static void retain() {
        synchronized (LOCK) {
            if (users++ == 0) {
                scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("connpool-scheduler"));
                scheduler.setRemoveOnCancelPolicy(true);
                scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
                workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                        new SynchronousQueue<>(), daemonThreads("connpool-worker"));
            }
        }
    }

    /** Unregisters a pool; the last one out stops the threads. */
    static void release() {
        synchronized (LOCK) {
            if (--users == 0) {
                scheduler.shutdownNow();
                workers.shutdown();
                scheduler = null;
                workers = null;
            }
        }
    }

    static Executor workers() {
        synchronized (LOCK) {
            if (workers == null) {
                throw new IllegalStateException("connpool background threads are not running");
            }
            return workers;
        }
    }

    static ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long periodNanos) {
        return scheduler().scheduleWithFixedDelay(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    static ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return scheduler().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    private static ScheduledExecutorService scheduler() {
        synchronized (LOCK) {
            if (scheduler == null) {
                throw new IllegalStateException("connpool background threads are not running");
            }
            return scheduler;
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
