package io.connpool.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *
 * <p>Every task runs inside {@link #guarded}: whatever a task (or the user code it calls) throws is
 * logged and the thread lives on, and an interrupt that user code left on the thread is cleared so it
 * cannot poison the next task.
 */
final class Background {

    private static final Logger log = LoggerFactory.getLogger(Background.class);

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
                CoarseClock.SYSTEM.tick(); // it stood still while no pool was open
                scheduler.scheduleAtFixedRate(CoarseClock.SYSTEM::tick, CoarseClock.TICK_NANOS, CoarseClock.TICK_NANOS,
                        TimeUnit.NANOSECONDS);
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

    /** The shared worker threads, each task guarded (see the class comment). */
    static final Executor WORKERS = task -> workers().execute(guarded(task));

    /** Runs {@code task} on a worker thread; throws IllegalStateException once the threads stopped. */
    static void execute(Runnable task) {
        WORKERS.execute(task);
    }

    private static ThreadPoolExecutor workers() {
        synchronized (LOCK) {
            if (workers == null) {
                throw new IllegalStateException("connpool background threads are not running");
            }
            return workers;
        }
    }

    static ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long periodNanos) {
        return scheduler().scheduleWithFixedDelay(guarded(task), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    static ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return scheduler().schedule(guarded(task), delayNanos, TimeUnit.NANOSECONDS);
    }

    /** True on a connpool thread: there, an interrupt left by user code is the pool's to clear. */
    static boolean onPoolThread() {
        return Thread.currentThread() instanceof PoolThread;
    }

    /**
     * A task that never lets a Throwable end its thread (a scheduled task that threw would also never
     * run again) and leaves the thread uninterrupted for the next one.
     */
    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable e) {
                log.error("A connpool background task failed; the thread carries on", e);
            } finally {
                Thread.interrupted();
            }
        };
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
            Thread thread = new PoolThread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static final class PoolThread extends Thread {
        PoolThread(Runnable task, String name) {
            super(task, name);
        }
    }
}
