package io.connpool.benchmarks;

import java.io.PrintWriter;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A JDBC DataSource whose connections do nothing but carry a {@link Peers.Conn}: HikariCP's real pool
 * ({@code HikariDataSource.getConnection()}/{@code close()}) measured as a pool, with no database
 * behind it. Each connection answers the questions HikariCP asks when it opens one (valid,
 * auto-commit, read-committed) and nothing else.
 */
final class StubDataSource implements DataSource {

    @Override
    public Connection getConnection() {
        return new StubConnection();
    }

    @Override
    public Connection getConnection(String username, String password) {
        return new StubConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }

    /** A connection that does nothing; {@code unwrap(StubConnection.class)} reaches it through HikariCP's proxy. */
    static final class StubConnection implements Connection {
        final Peers.Conn conn = new Peers.Conn();
        private volatile boolean closed;

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            throw new SQLException("not a wrapper for " + iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }

        @Override
        public Statement createStatement() throws SQLException {
            return null;
        }

        @Override
        public PreparedStatement prepareStatement(String a0) throws SQLException {
            return null;
        }

        @Override
        public CallableStatement prepareCall(String a0) throws SQLException {
            return null;
        }

        @Override
        public String nativeSQL(String a0) throws SQLException {
            return null;
        }

        @Override
        public void setAutoCommit(boolean a0) throws SQLException {
        }

        @Override
        public boolean getAutoCommit() throws SQLException {
            return true;
        }

        @Override
        public void commit() throws SQLException {
        }

        @Override
        public void rollback() throws SQLException {
        }

        @Override
        public void close() throws SQLException {
            closed = true;
        }

        @Override
        public boolean isClosed() throws SQLException {
            return closed;
        }

        @Override
        public DatabaseMetaData getMetaData() throws SQLException {
            return null;
        }

        @Override
        public void setReadOnly(boolean a0) throws SQLException {
        }

        @Override
        public boolean isReadOnly() throws SQLException {
            return false;
        }

        @Override
        public void setCatalog(String a0) throws SQLException {
        }

        @Override
        public String getCatalog() throws SQLException {
            return null;
        }

        @Override
        public void setTransactionIsolation(int a0) throws SQLException {
        }

        @Override
        public int getTransactionIsolation() throws SQLException {
            return TRANSACTION_READ_COMMITTED;
        }

        @Override
        public SQLWarning getWarnings() throws SQLException {
            return null;
        }

        @Override
        public void clearWarnings() throws SQLException {
        }

        @Override
        public Statement createStatement(int a0, int a1) throws SQLException {
            return null;
        }

        @Override
        public PreparedStatement prepareStatement(String a0, int a1, int a2) throws SQLException {
            return null;
        }

        @Override
        public CallableStatement prepareCall(String a0, int a1, int a2) throws SQLException {
            return null;
        }

        @Override
        public Map<String, Class<?>> getTypeMap() throws SQLException {
            return null;
        }

        @Override
        public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        }

        @Override
        public void setHoldability(int a0) throws SQLException {
        }

        @Override
        public int getHoldability() throws SQLException {
            return ResultSet.HOLD_CURSORS_OVER_COMMIT;
        }

        @Override
        public Savepoint setSavepoint() throws SQLException {
            return null;
        }

        @Override
        public Savepoint setSavepoint(String a0) throws SQLException {
            return null;
        }

        @Override
        public void rollback(Savepoint a0) throws SQLException {
        }

        @Override
        public void releaseSavepoint(Savepoint a0) throws SQLException {
        }

        @Override
        public Statement createStatement(int a0, int a1, int a2) throws SQLException {
            return null;
        }

        @Override
        public PreparedStatement prepareStatement(String a0, int a1, int a2, int a3) throws SQLException {
            return null;
        }

        @Override
        public CallableStatement prepareCall(String a0, int a1, int a2, int a3) throws SQLException {
            return null;
        }

        @Override
        public PreparedStatement prepareStatement(String a0, int a1) throws SQLException {
            return null;
        }

        @Override
        public PreparedStatement prepareStatement(String a0, int[] a1) throws SQLException {
            return null;
        }

        @Override
        public PreparedStatement prepareStatement(String a0, String[] a1) throws SQLException {
            return null;
        }

        @Override
        public Clob createClob() throws SQLException {
            return null;
        }

        @Override
        public Blob createBlob() throws SQLException {
            return null;
        }

        @Override
        public NClob createNClob() throws SQLException {
            return null;
        }

        @Override
        public SQLXML createSQLXML() throws SQLException {
            return null;
        }

        @Override
        public boolean isValid(int a0) throws SQLException {
            return true;
        }

        @Override
        public void setClientInfo(String a0, String a1) {
        }

        @Override
        public void setClientInfo(Properties a0) {
        }

        @Override
        public String getClientInfo(String a0) throws SQLException {
            return null;
        }

        @Override
        public Properties getClientInfo() throws SQLException {
            return null;
        }

        @Override
        public Array createArrayOf(String a0, Object[] a1) throws SQLException {
            return null;
        }

        @Override
        public Struct createStruct(String a0, Object[] a1) throws SQLException {
            return null;
        }

        @Override
        public void setSchema(String a0) throws SQLException {
        }

        @Override
        public String getSchema() throws SQLException {
            return null;
        }

        @Override
        public void abort(Executor a0) throws SQLException {
        }

        @Override
        public void setNetworkTimeout(Executor a0, int a1) throws SQLException {
        }

        @Override
        public int getNetworkTimeout() throws SQLException {
            return 0;
        }
    }
}
