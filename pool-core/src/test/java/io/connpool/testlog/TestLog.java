package io.connpool.testlog;

import org.slf4j.event.Level;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where pool-core's tests log to. Many tests inject faults on purpose (a factory that cannot connect, a
 * listener that throws), and the pool rightly warns about each, with a stack trace: printed, that is
 * tens of thousands of lines in a passing build, in which a real problem cannot be seen. So every line
 * goes to {@code target/test-logs/<test class>.log}, and the console gets only what is unexpected:
 * <ul>
 *   <li>the whole log of a test that failed, after it failed;</li>
 *   <li>an {@code ERROR}, at once, whichever test it came from (the pool logs at error only when
 *       something of its own went wrong, never for a fault a test injects);</li>
 *   <li>one line per test class that logged warnings, saying where they are.</li>
 * </ul>
 * A line logged by a pool thread after its test ended counts towards the test that runs next.
 */
public final class TestLog {

    /** The level below which nothing is recorded; {@code -Dconnpool.test.log.level=DEBUG} to see more. */
    static final Level THRESHOLD = Level.valueOf(System.getProperty("connpool.test.log.level", "INFO").toUpperCase());

    private static final Path DIRECTORY = Path.of(System.getProperty("connpool.test.log.dir", "target/test-logs"));
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private static final Object lock = new Object();
    private static Writer file;
    private static String testClass = "outside-tests";
    private static final List<Record> currentTest = new ArrayList<>();
    private static int warningsInClass;

    private TestLog() {
    }

    /** One logged line, as a test may want to check what the pool said. */
    public record Record(String time, Level level, String logger, String thread, String message, Throwable error) {

        String format() {
            StringWriter out = new StringWriter();
            out.append(time).append(" [").append(thread).append("] ").append(level.toString()).append(' ')
                    .append(logger).append(" - ").append(message).append(System.lineSeparator());
            if (error != null) {
                error.printStackTrace(new PrintWriter(out, true));
            }
            return out.toString();
        }
    }

    static void record(Level level, String logger, String message, Throwable error) {
        Record record = new Record(LocalTime.now().format(TIME), level, logger, Thread.currentThread().getName(), message, error);
        String line = record.format();
        synchronized (lock) {
            currentTest.add(record);
            if (level.toInt() >= Level.WARN.toInt()) {
                warningsInClass++;
            }
            write(line);
            if (level == Level.ERROR) {
                System.err.print("[unexpected error logged during " + testClass + "] " + line);
            }
        }
    }

    /** What was logged since the current test started. */
    public static List<Record> sinceTestStarted() {
        synchronized (lock) {
            return List.copyOf(currentTest);
        }
    }

    static void classStarted(String name) {
        synchronized (lock) {
            closeFile();
            testClass = name;
            warningsInClass = 0;
        }
    }

    static void testStarted(String name) {
        synchronized (lock) {
            currentTest.clear();
            write(System.lineSeparator() + "=== " + name + System.lineSeparator());
        }
    }

    static void testFinished(String name, Throwable failure) {
        synchronized (lock) {
            if (failure != null && !currentTest.isEmpty()) {
                StringBuilder log = new StringBuilder("---- what was logged during the failed test " + testClass + " > " + name
                        + System.lineSeparator());
                currentTest.forEach(record -> log.append(record.format()));
                log.append("---- end of the log of ").append(name).append(System.lineSeparator());
                System.err.print(log);
            }
        }
    }

    static void classFinished() {
        synchronized (lock) {
            if (warningsInClass > 0) {
                System.out.println("[test-logs] " + testClass + ": " + warningsInClass
                        + " warnings from the faults its tests inject, in " + DIRECTORY.resolve(testClass + ".log"));
            }
            closeFile();
            testClass = "outside-tests";
            warningsInClass = 0;
        }
    }

    private static void write(String text) {
        try {
            if (file == null) {
                Files.createDirectories(DIRECTORY);
                file = Files.newBufferedWriter(DIRECTORY.resolve(testClass + ".log"), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            file.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test log under " + DIRECTORY.toAbsolutePath(), e);
        }
    }

    private static void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                file = null;
            }
        }
    }
}
