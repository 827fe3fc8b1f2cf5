package io.connpool.testlog;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks the test classes and tests in {@link TestLog}, and prints a failed test's log. Registered for
 * every test of the module through JUnit's extension auto-detection ({@code junit-platform.properties}).
 */
public final class TestLogExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        TestLog.classStarted(context.getRequiredTestClass().getName());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestLog.testStarted(context.getDisplayName());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestLog.testFinished(context.getDisplayName(), context.getExecutionException().orElse(null));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestLog.classFinished();
    }
}
