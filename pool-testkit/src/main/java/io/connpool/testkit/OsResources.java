package io.connpool.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the operating system says this JVM holds: open file descriptors, and the pool's threads. */
public final class OsResources {

    private static final Path FDS = Path.of("/proc/self/fd");

    private OsResources() {
    }

    /** Open file descriptors of this process (sockets included), or -1 where /proc is not there. */
    public static int openFileDescriptors() {
        if (!Files.isDirectory(FDS)) {
            return -1;
        }
        try (Stream<Path> fds = Files.list(FDS)) {
            return (int) fds.count() - 1; // not the one the listing itself holds open
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What each open file descriptor points at ({@code socket:[123]}, a path...), for failure messages. */
    public static List<String> describeFileDescriptors() {
        if (!Files.isDirectory(FDS)) {
            return List.of();
        }
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.map(fd -> {
                try {
                    return fd.getFileName() + " -> " + Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    return fd.getFileName() + " (gone)";
                }
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of live threads the pools started ({@code connpool-scheduler}, {@code connpool-worker-N}). */
    public static List<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("connpool-")).sorted().toList();
    }
}
