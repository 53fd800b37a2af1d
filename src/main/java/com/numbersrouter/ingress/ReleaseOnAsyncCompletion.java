package com.numbersrouter.ingress;

import java.io.IOException;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Gives back what a filter holds for a request (an in-flight permit, body memory) when the request completes
 * asynchronously instead of before the filter returns: once, however it ends.
 */
final class ReleaseOnAsyncCompletion implements AsyncListener {

    /**
     * Runs the rest of the chain, then {@code release}: when the chain returns, or, should the request go on
     * asynchronously, when it completes.
     */
    static void chainThenRelease(FilterChain chain, HttpServletRequest request, ServletResponse response,
            Runnable release) throws IOException, ServletException {
        boolean async = false;
        try {
            chain.doFilter(request, response);
            if (request.isAsyncStarted()) {
                async = true;
                request.getAsyncContext().addListener(new ReleaseOnAsyncCompletion(release));
            }
        } finally {
            if (!async) {
                release.run();
            }
        }
    }

    private final Runnable release;
    private boolean released;

    ReleaseOnAsyncCompletion(Runnable release) {
        this.release = release;
    }

    private synchronized void release() {
        if (!released) {
            released = true;
            release.run();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        release();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        release();
    }

    @Override
    public void onError(AsyncEvent event) {
        release();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        event.getAsyncContext().addListener(this);
    }
}
