package io.connpool.autoconfigure.web;

import io.connpool.Pool;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.EOFException;
import java.io.IOException;

/** Each endpoint borrows from one of {@link FailingPools}; the last three fail inside the callback. */
@RestController
class FailingPoolsController implements DisposableBean {

    private final Pool<Object> exhausted = FailingPools.exhausted();
    private final Pool<Object> paused = FailingPools.paused();
    private final Pool<Object> down = FailingPools.down();
    private final Pool<Object> closed = FailingPools.closed();
    private final Pool<Object> healthy = FailingPools.healthy();

    @GetMapping("/exhausted")
    String exhausted() {
        return exhausted.withConnection(connection -> "unreachable");
    }

    @GetMapping("/paused")
    String paused() {
        return paused.withConnection(connection -> "unreachable");
    }

    @GetMapping("/down")
    String down() {
        return down.withConnection(connection -> "unreachable");
    }

    @GetMapping("/closed")
    String closed() {
        return closed.withConnection(connection -> "unreachable");
    }

    @GetMapping("/no-match")
    String noMatch() {
        return healthy.withConnection(info -> false, connection -> "unreachable");
    }

    @GetMapping("/callback-throws")
    String callbackThrows() {
        return healthy.withConnection(connection -> {
            throw new IllegalStateException("the application's own bug");
        });
    }

    @GetMapping("/callback-throws-checked")
    String callbackThrowsChecked() {
        return healthy.withConnection(connection -> {
            throw new IOException("the backend answered garbage");
        });
    }

    /** What a callback sees when its backend dies mid-command: Spring's guess takes it for a client gone. */
    @GetMapping("/callback-backend-closed")
    String callbackBackendClosed() {
        return healthy.withConnection(connection -> {
            throw new EOFException("the backend closed the connection");
        });
    }

    @Override
    public void destroy() {
        for (Pool<Object> pool : java.util.List.of(exhausted, paused, down, closed, healthy)) {
            pool.close();
        }
    }
}
