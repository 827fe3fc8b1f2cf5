package io.connpool.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.ConcurrentBag;
import io.connpool.Lease;
import io.connpool.Pool;
import io.connpool.PoolRegistry;
import io.connpool.autoconfigure.metrics.PoolMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import stormpot.BasePoolable;
import stormpot.Expiration;
import stormpot.Slot;
import stormpot.Timeout;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The pools under comparison behind one shape: take an object, do a little work with it, give it back.
 * Every peer is configured fairly: no validation, no eviction or expiration threads, no JMX, no
 * detailed statistics.
 */
final class Peers {

    private Peers() {
    }

    /**
     * The "connection": a little work, so that the compiler cannot remove the use. Padded so that no
     * two connections share a cache line: a real connection is hundreds of bytes, but 24-byte ones
     * get packed together when G1 copies them out of eden, and then threads writing their own
     * connection's counter slow each other down (false sharing). Unpadded, connpool's 2-thread
     * uncontended forks ran at 45-54 or ~100 ops/us under G1 (8 forks: 4 slow), and 88-93 in all
     * 8 under ParallelGC. Every peer uses this class.
     */
    static final class Conn extends ConnUses {
        long q00, q01, q02, q03, q04, q05, q06, q07;
        long q08, q09, q10, q11, q12, q13, q14, q15;

        long work() {
            Blackhole.consumeCPU(10);
            return ++uses;
        }
    }

    abstract static class ConnUses extends ConnPadding {
        long uses;
    }

    abstract static class ConnPadding {
        long p00, p01, p02, p03, p04, p05, p06, p07;
        long p08, p09, p10, p11, p12, p13, p14, p15;
    }

    /** One operation of a benchmark: acquire, work, release; returns the work's result. */
    interface Peer extends AutoCloseable {
        long operate() throws Exception;

        @Override
        void close() throws Exception;
    }

    static Peer create(String name, int size) throws Exception {
        switch (name) {
            case "connpool":
                return new ConnpoolLease(connpool(size).build());
            case "connpool-fifo": // strictly first come, first served: not in run-all.sh, run it by name
                return new ConnpoolLease(connpool(size).handOffAfter(Duration.ZERO).build());
            case "connpool-callback":
                return new ConnpoolCallback(connpool(size).build());
            case "connpool-defaults":
                return new ConnpoolLease(asShipped(size).build());
            case "connpool-micrometer":
                return Micrometer.attached(asShipped(size));
            case "stormpot":
                return new Stormpot(size, Expiration.never());
            case "stormpot-defaults":
                return new Stormpot(size, null);
            case "hikaricp":
                return new Hikari(size);
            case "hikari-bag":
                return new HikariBag(size);
            case "commons-pool2":
                return new CommonsPool(size);
            case "array-queue":
                return new ArrayQueue(size);
            default:
                throw new IllegalArgumentException(name);
        }
    }

    static Pool.Builder<Conn> connpool(int size) {
        return Pool.builder(Conn::new).name("bench").maxSize(size).minIdle(size).maxPending(1024)
                .validateOnBorrow(false).idleTimeout(Duration.ZERO).maxLifetime(Duration.ZERO);
    }

    /**
     * connpool as a new user gets it: the size, and every other setting at its default (idle timeout,
     * max lifetime with its jitter, validation after inactivity).
     */
    static Pool.Builder<Conn> asShipped(int size) {
        return Pool.builder(Conn::new).name("bench").maxSize(size).minIdle(size).acquireTimeout(Duration.ofSeconds(10));
    }

    static Pool<Conn> warm(Pool<Conn> pool) throws InterruptedException {
        while (pool.stats().idle() < pool.stats().maxSize()) {
            Thread.sleep(1);
        }
        return pool;
    }

    /** connpool, the way most code uses it: try-with-resources on a lease. */
    static final class ConnpoolLease implements Peer {
        private final Pool<Conn> pool;

        ConnpoolLease(Pool<Conn> pool) throws InterruptedException {
            this.pool = warm(pool);
        }

        @Override
        public long operate() {
            try (Lease<Conn> lease = pool.acquire()) {
                return lease.connection().work();
            }
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** connpool through withConnection. */
    static final class ConnpoolCallback implements Peer {
        private final Pool<Conn> pool;

        ConnpoolCallback(Pool<Conn> pool) throws InterruptedException {
            this.pool = warm(pool);
        }

        @Override
        public long operate() {
            return pool.withConnection(Conn::work);
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    static final class StormpotConn extends BasePoolable {
        final Conn conn = new Conn();

        StormpotConn(Slot slot) {
            super(slot);
        }
    }

    /**
     * Stormpot 3.2 (4.x needs Java 21): like-for-like, no expiration and no background expiration
     * checks; or (expiration null) at its defaults, a time-spread expiration of 8 to 10 minutes checked
     * in the background too.
     */
    static final class Stormpot implements Peer {
        private final stormpot.Pool<StormpotConn> pool;
        /**
         * Short, and retried: Stormpot 3.2 stalls now and then under contention (a claim returned
         * nothing for over 10 s once), and a JMH iteration cannot end while a thread is stuck in a
         * claim; with a 10 s timeout the contended suites alone took 9 of the run's 16.5 minutes.
         */
        private final Timeout timeout = new Timeout(1, TimeUnit.SECONDS);

        Stormpot(int size, Expiration<? super StormpotConn> expiration) {
            stormpot.PoolBuilder<StormpotConn> builder = stormpot.Pool.from(new stormpot.Allocator<StormpotConn>() {
                @Override
                public StormpotConn allocate(Slot slot) {
                    return new StormpotConn(slot);
                }

                @Override
                public void deallocate(StormpotConn poolable) {
                }
            }).setSize(size);
            if (expiration != null) {
                builder.setExpiration(expiration).setBackgroundExpirationEnabled(false);
            }
            pool = builder.build();
        }

        @Override
        public long operate() throws Exception {
            StormpotConn c;
            // Stormpot 3.2 stalls now and then under contention, past any timeout we chose (10 s seen):
            // a caller would retry, so the benchmark does, and the stall shows in the latency.
            while ((c = pool.claim(timeout)) == null) {
                Thread.onSpinWait();
            }
            try {
                return c.conn.work();
            } finally {
                c.release();
            }
        }

        @Override
        public void close() throws Exception {
            pool.shutdown().await(new Timeout(10, TimeUnit.SECONDS));
        }
    }

    /**
     * HikariCP itself, as a JDBC user runs it: {@code HikariDataSource.getConnection()} and
     * {@code close()} at its defaults but for the size, over a DataSource whose connections do nothing.
     */
    static final class Hikari implements Peer {
        private final HikariDataSource dataSource;

        Hikari(int size) throws InterruptedException {
            HikariConfig config = new HikariConfig();
            config.setDataSource(new StubDataSource());
            config.setPoolName("bench");
            config.setMaximumPoolSize(size);
            config.setMinimumIdle(size);
            dataSource = new HikariDataSource(config);
            while (dataSource.getHikariPoolMXBean().getIdleConnections() < size) {
                Thread.sleep(1);
            }
        }

        @Override
        public long operate() throws SQLException {
            try (java.sql.Connection connection = dataSource.getConnection()) {
                return connection.unwrap(StubDataSource.StubConnection.class).conn.work();
            }
        }

        @Override
        public void close() {
            dataSource.close();
        }
    }

    /**
     * connpool with the listener the Spring Boot starter attaches to every pool built from
     * configuration (its Micrometer meters), bound to a registry as the starter binds it.
     */
    static final class Micrometer {
        private Micrometer() {
        }

        static Peer attached(Pool.Builder<Conn> builder) throws InterruptedException {
            StaticListableBeanFactory beans = new StaticListableBeanFactory();
            PoolMetrics metrics = new PoolMetrics(beans.getBeanProvider(PoolRegistry.class));
            Pool<Conn> pool = builder.listener(metrics.listenerFor("bench")).build();
            beans.addBean("pools", new PoolRegistry(Map.of("bench", pool)));
            metrics.bindTo(new SimpleMeterRegistry());
            return new ConnpoolLease(pool);
        }
    }

    static final class BagEntry implements ConcurrentBag.IConcurrentBagEntry {
        private static final AtomicIntegerFieldUpdater<BagEntry> STATE =
                AtomicIntegerFieldUpdater.newUpdater(BagEntry.class, "state");
        final Conn conn = new Conn();
        volatile int state;

        @Override
        public boolean compareAndSet(int expect, int update) {
            return STATE.compareAndSet(this, expect, update);
        }

        @Override
        public void setState(int newState) {
            STATE.set(this, newState);
        }

        @Override
        public int getState() {
            return state;
        }
    }

    /** HikariCP's ConcurrentBag, used directly (the engine of HikariCP, without its pool around it). */
    static final class HikariBag implements Peer {
        private final ConcurrentBag<BagEntry> bag = new ConcurrentBag<>(waiting -> { });

        HikariBag(int size) {
            for (int i = 0; i < size; i++) {
                bag.add(new BagEntry());
            }
        }

        @Override
        public long operate() throws Exception {
            BagEntry entry = bag.borrow(10, TimeUnit.SECONDS);
            try {
                return entry.conn.work();
            } finally {
                bag.requite(entry);
            }
        }

        @Override
        public void close() {
            bag.close();
        }
    }

    /** Apache Commons Pool2's GenericObjectPool: no JMX, no eviction runs, no tests, no detailed statistics. */
    static final class CommonsPool implements Peer {
        private final GenericObjectPool<Conn> pool;

        CommonsPool(int size) throws Exception {
            GenericObjectPoolConfig<Conn> config = new GenericObjectPoolConfig<>();
            config.setMaxTotal(size);
            config.setMaxIdle(size);
            config.setMinIdle(size);
            config.setJmxEnabled(false);
            config.setTestOnBorrow(false);
            config.setTestOnReturn(false);
            config.setTestWhileIdle(false);
            config.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
            pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
                @Override
                public Conn create() {
                    return new Conn();
                }

                @Override
                public PooledObject<Conn> wrap(Conn conn) {
                    return new DefaultPooledObject<>(conn);
                }
            }, config);
            pool.setCollectDetailedStatistics(false);
            pool.addObjects(size);
        }

        @Override
        public long operate() throws Exception {
            Conn conn = pool.borrowObject();
            try {
                return conn.work();
            } finally {
                pool.returnObject(conn);
            }
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** The floor: a plain ArrayBlockingQueue of objects. */
    static final class ArrayQueue implements Peer {
        private final ArrayBlockingQueue<Conn> queue;

        ArrayQueue(int size) {
            queue = new ArrayBlockingQueue<>(size);
            for (int i = 0; i < size; i++) {
                queue.add(new Conn());
            }
        }

        @Override
        public long operate() throws Exception {
            Conn conn = queue.take();
            try {
                return conn.work();
            } finally {
                queue.put(conn);
            }
        }

        @Override
        public void close() {
        }
    }
}
