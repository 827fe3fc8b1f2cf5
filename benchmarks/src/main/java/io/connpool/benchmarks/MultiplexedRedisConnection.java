package io.connpool.benchmarks;

import io.connpool.samples.redis.RedisErrorReply;
import io.connpool.samples.redis.Resp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Redis connection many threads use at once, the way Lettuce multiplexes one: callers write their
 * command under a lock and wait; one reader thread matches replies to callers in order. It is what a
 * {@code SharedPool} holds in the real-server suite.
 */
final class MultiplexedRedisConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ReentrantLock writing = new ReentrantLock();
    private final ConcurrentLinkedQueue<CompletableFuture<Object>> awaiting = new ConcurrentLinkedQueue<>();
    private volatile IOException broken;

    MultiplexedRedisConnection(String host, int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 1000);
        in = new BufferedInputStream(socket.getInputStream(), 16384);
        out = new BufferedOutputStream(socket.getOutputStream(), 16384);
        Thread reader = new Thread(this::readReplies, "redis-reader-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    Object command(String... arguments) throws IOException, InterruptedException {
        CompletableFuture<Object> reply = new CompletableFuture<>();
        writing.lock();
        try {
            if (broken != null) {
                throw new IOException("Connection broken", broken);
            }
            awaiting.add(reply);
            Resp.writeCommand(out, arguments);
            out.flush();
        } finally {
            writing.unlock();
        }
        try {
            return reply.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException) {
                throw (IOException) e.getCause();
            }
            throw (RuntimeException) e.getCause();
        }
    }

    private void readReplies() {
        try {
            while (true) {
                Object reply;
                try {
                    reply = Resp.readReply(in, socket);
                } catch (RedisErrorReply error) {
                    awaiting.poll().completeExceptionally(error);
                    continue;
                }
                awaiting.poll().complete(reply);
            }
        } catch (IOException e) {
            broken = e;
            writing.lock();
            try {
                CompletableFuture<Object> reply;
                while ((reply = awaiting.poll()) != null) {
                    reply.completeExceptionally(e);
                }
            } finally {
                writing.unlock();
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
