package io.connpool.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a loopback port, for tests and benchmarks on a machine with
 * nothing installed: the binary comes from the {@code com.github.codemonstur:embedded-redis} jar on the
 * class path (extracted once per JVM), or from the path in the {@code connpool.redis-server} system
 * property.
 *
 * <p>{@link #kill()} ends the process with SIGKILL (no goodbye on any connection: clients see resets or
 * end-of-stream, exactly as when a server host dies); {@link #start()} brings a fresh, empty server back
 * on the same port. Persistence is off, so a restart starts empty.
 */
public final class RedisProcess implements AutoCloseable {

    private static final Path BINARY = locateBinary();
    /** Servers still running when the JVM exits are killed with it, not left behind. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "redis-process-reaper"));
    }

    private final int port;
    private Process process;

    private RedisProcess(int port) {
        this.port = port;
    }

    /** Starts a server on a free loopback port and returns once it answers PING. */
    public static RedisProcess onFreePort() {
        return onPort(freePort());
    }

    /** Starts a server on the given loopback port and returns once it answers PING. */
    public static RedisProcess onPort(int port) {
        RedisProcess redis = new RedisProcess(port);
        redis.start();
        return redis;
    }

    /** Starts (or restarts, on the same port) the server; returns once it answers PING. */
    public synchronized RedisProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        List<String> command = List.of(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no",
                "--loglevel", "warning", "--maxclients", "1000");
        try {
            process = startQuietly(command);
            RUNNING.add(process);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + BINARY + " on port " + port, e);
        }
        awaitReady();
        return this;
    }

    /** SIGKILL: the process dies at once, every client connection with it. Returns once it is gone. */
    public synchronized void kill() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroyForcibly();
        try {
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("redis-server pid " + running.pid() + " survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(running);
        process = null;
    }

    /**
     * SIGSTOP: the process stays, its sockets stay open, the kernel still completes new connections into
     * its backlog, but nothing is read or answered: a half-open server. {@link #thaw()} resumes it.
     */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT: a frozen server resumes and answers what was sent to it meanwhile. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String signal) {
        long pid = pid();
        try {
            Process kill = startQuietly(List.of("kill", "-" + signal, Long.toString(pid)));
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not send SIG" + signal + " to redis-server pid " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the server process is alive. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The server's process id, for tools that look at it from outside. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, the form pool configuration takes. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return "redis-server on " + address() + (isRunning() ? "" : " (down)");
    }

    /** No pipes to the child: starting processes many times must not leave descriptors behind in this JVM. */
    private static Process startQuietly(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue()
                        + " while starting on port " + port + " (is the port taken?)");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                socket.setSoTimeout(500);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                byte[] reply = socket.getInputStream().readNBytes(7);
                if ("+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII))) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within 10 s", last);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }

    private static Path locateBinary() {
        String configured = System.getProperty("connpool.redis-server");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String resource = binaryResource();
        try (InputStream in = RedisProcess.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No " + resource + " on the class path: add "
                        + "com.github.codemonstur:embedded-redis, or point -Dconnpool.redis-server at a redis-server");
            }
            Path binary = Files.createTempFile("connpool-redis-server-", "");
            Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
            File file = binary.toFile();
            if (!file.setExecutable(true, true)) {
                throw new IllegalStateException("Could not make " + binary + " executable");
            }
            file.deleteOnExit();
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not extract " + resource, e);
        }
    }

    /** The embedded-redis jar's binary for this machine. */
    private static String binaryResource() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.contains("aarch64") || arch.contains("arm");
        if (os.contains("linux")) {
            return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("mac")) {
            return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        }
        throw new IllegalStateException("No embedded redis-server for " + os + "/" + arch
                + ": point -Dconnpool.redis-server at one");
    }
}
