package io.connpool.testlog;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger that hands every line at or above {@link TestLog#THRESHOLD} to {@link TestLog}. */
final class TestLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    TestLogger(String name) {
        this.name = name;
    }

    private static boolean on(Level level) {
        return level.toInt() >= TestLog.THRESHOLD.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return on(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return on(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return on(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return on(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return on(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable error) {
        if (on(level)) {
            TestLog.record(level, name, MessageFormatter.basicArrayFormat(pattern, arguments), error);
        }
    }
}
