package io.connpool.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.connpool.ConnectionFactory;
import io.connpool.Lease;
import io.connpool.Pool;
import org.h2.tools.Server;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Suite 6, JDBC: an H2 database server started in-process and reached over TCP, pooled by connpool (a
 * {@code Pool<java.sql.Connection>} with a JDBC factory) and by HikariCP, 4 connections each, 4 threads.
 * {@code borrow}: take a connection and give it back (each pool's own overhead); {@code selectOne}: the
 * same with a {@code SELECT 1} round trip in between. Both pools keep their defaults but for the size.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar JdbcBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(2)
@Threads(4)
public class JdbcBenchmark {

    static final int POOL_SIZE = 4;

    @Param({"connpool", "hikaricp"})
    public String peer;

    private Server h2;
    private Pool<Connection> connpool;
    private HikariDataSource hikari;

    @Setup(Level.Trial)
    public void start() throws Exception {
        h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        String url = "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/mem:bench;DB_CLOSE_DELAY=-1";
        if (peer.equals("connpool")) {
            connpool = Pool.builder(new JdbcConnections(url)).name("jdbc").maxSize(POOL_SIZE).minIdle(POOL_SIZE)
                    .acquireTimeout(Duration.ofSeconds(10)).build();
            while (connpool.stats().idle() < POOL_SIZE) {
                Thread.sleep(1);
            }
        } else {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setUsername("sa");
            config.setPassword("");
            config.setMaximumPoolSize(POOL_SIZE);
            config.setMinimumIdle(POOL_SIZE);
            config.setRegisterMbeans(false);
            hikari = new HikariDataSource(config);
            while (hikari.getHikariPoolMXBean().getIdleConnections() < POOL_SIZE) {
                Thread.sleep(1);
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (connpool != null) {
            connpool.close();
        }
        if (hikari != null) {
            hikari.close();
        }
        h2.stop();
    }

    @Benchmark
    public int borrow() throws SQLException {
        if (connpool != null) {
            try (Lease<Connection> lease = connpool.acquire()) {
                return System.identityHashCode(lease.connection());
            }
        }
        try (Connection connection = hikari.getConnection()) {
            return System.identityHashCode(connection);
        }
    }

    @Benchmark
    public int selectOne() throws SQLException {
        if (connpool != null) {
            return connpool.withConnection(JdbcBenchmark::selectOne);
        }
        try (Connection connection = hikari.getConnection()) {
            return selectOne(connection);
        }
    }

    private static int selectOne(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1");
             ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getInt(1);
        }
    }

    /** JDBC connections for a connpool {@code Pool}: validated with {@code isValid}, as HikariCP does. */
    static final class JdbcConnections implements ConnectionFactory<Connection> {
        private final String url;

        JdbcConnections(String url) {
            this.url = url;
        }

        @Override
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, "sa", "");
        }

        @Override
        public boolean validate(Connection connection) throws SQLException {
            return connection.isValid(5);
        }
    }
}
