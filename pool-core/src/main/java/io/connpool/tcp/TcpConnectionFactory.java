package io.connpool.tcp;

import io.connpool.ConnectionFactory;
import io.connpool.DescribedFactory;
import io.connpool.InvalidConfigException;
import io.connpool.Secrets;
import io.connpool.internal.Saturating;

import javax.net.SocketFactory;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens {@link TcpConnection}s to one address, over TLS when given an {@link SSLSocketFactory} (with
 * host name verification on). Validation checks that the peer has not closed the connection.
 *
 * <pre>{@code
 * Pool<TcpConnection> pool = Pool.builder(TcpConnectionFactory.to("localhost", 7000).build()).build();
 * }</pre>
 */
public final class TcpConnectionFactory implements ConnectionFactory<TcpConnection>, DescribedFactory {

    private final String host;
    private final int port;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final boolean tcpNoDelay;
    private final boolean keepAlive;
    private final SSLSocketFactory sslSocketFactory;

    private TcpConnectionFactory(Builder builder) {
        this.host = builder.host;
        this.port = builder.port;
        this.connectTimeoutMillis = Saturating.toMillisCeil(builder.connectTimeout);
        this.readTimeoutMillis = Saturating.toMillisCeil(builder.readTimeout);
        this.tcpNoDelay = builder.tcpNoDelay;
        this.keepAlive = builder.keepAlive;
        this.sslSocketFactory = builder.sslSocketFactory;
    }

    /** Starts a factory of connections to {@code host:port}. */
    public static Builder to(String host, int port) {
        return new Builder(host, port);
    }

    /**
     * Starts a factory of connections to {@code "host:port"}. An address with user info
     * ({@code user:password@host:port}) is rejected, and the exception shows it masked: a TCP connection
     * has no use for credentials, and a host name containing them would reach the resolver, the logs and
     * every error message.
     */
    public static Builder to(String address) {
        rejectUserInfo(address);
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new InvalidConfigException("address", address, "host:port");
        }
        try {
            return new Builder(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("address", address, "host:port with a numeric port");
        }
    }

    private static void rejectUserInfo(String address) {
        if (address != null && address.indexOf('@') >= 0) {
            throw new InvalidConfigException("address", Secrets.maskUserInfo(address),
                    "host:port without credentials (a TCP connection does not use the user info before '@'; remove it)");
        }
    }

    @Override
    public TcpConnection connect() throws IOException {
        SocketFactory sockets = sslSocketFactory != null ? sslSocketFactory : SocketFactory.getDefault();
        Socket socket = sockets.createSocket();
        try {
            socket.setTcpNoDelay(tcpNoDelay);
            socket.setKeepAlive(keepAlive);
            socket.setSoTimeout(readTimeoutMillis);
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            if (socket instanceof SSLSocket) {
                SSLSocket tls = (SSLSocket) socket;
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.startHandshake();
            }
            return new TcpConnection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public boolean validate(TcpConnection connection) {
        return connection.isAlive();
    }

    /**
     * {@code address}, {@code tls}, and the socket settings as the socket gets them: the timeouts in
     * whole milliseconds (see {@link Builder#connectTimeout}), {@code tcpNoDelay}, {@code keepAlive}.
     */
    @Override
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("address", host + ":" + port);
        settings.put("tls", sslSocketFactory != null);
        settings.put("connectTimeout", Duration.ofMillis(connectTimeoutMillis));
        settings.put("readTimeout", Duration.ofMillis(readTimeoutMillis));
        settings.put("tcpNoDelay", tcpNoDelay);
        settings.put("keepAlive", keepAlive);
        return settings;
    }

    @Override
    public String toString() {
        return (sslSocketFactory != null ? "tls://" : "tcp://") + host + ":" + port;
    }

    /** Settings of a {@link TcpConnectionFactory}. */
    public static final class Builder {
        private final String host;
        private final int port;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ZERO;
        private boolean tcpNoDelay = true;
        private boolean keepAlive = true;
        private SSLSocketFactory sslSocketFactory;

        private Builder(String host, int port) {
            if (host == null || host.isBlank()) {
                throw new InvalidConfigException("address", host, "a host name or IP address");
            }
            rejectUserInfo(host);
            if (port < 1 || port > 65535) {
                throw new InvalidConfigException("address", host + ":" + port, "a port from 1 to 65535");
            }
            this.host = host;
            this.port = port;
        }

        /**
         * How long a dial may take; zero: as long as the system allows. Default 5 s. A socket counts it
         * in whole milliseconds in an int: anything longer than ~24.8 days is that long, and a
         * positive duration under 1 ms is 1 ms.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = millis("connectTimeout", connectTimeout);
            return this;
        }

        /**
         * How long a read may block (SO_TIMEOUT); zero: forever. Default zero. Rounded as
         * {@link #connectTimeout} is: at most ~24.8 days, at least 1 ms unless zero.
         */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = millis("readTimeout", readTimeout);
            return this;
        }

        /** TCP_NODELAY. Default true. */
        public Builder tcpNoDelay(boolean tcpNoDelay) {
            this.tcpNoDelay = tcpNoDelay;
            return this;
        }

        /** SO_KEEPALIVE. Default true. */
        public Builder keepAlive(boolean keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        /** Speak TLS through this factory; the server's name is verified against its certificate. */
        public Builder tls(SSLSocketFactory sslSocketFactory) {
            this.sslSocketFactory = sslSocketFactory;
            return this;
        }

        public TcpConnectionFactory build() {
            return new TcpConnectionFactory(this);
        }

        /** Only a negative value is wrong: a huge or a tiny one is rounded to what a socket takes when built. */
        private static Duration millis(String setting, Duration value) {
            if (value == null || value.isNegative()) {
                throw new InvalidConfigException(setting, value, "a duration of zero or more");
            }
            return value;
        }
    }
}
