package com.numbersrouter.ingress;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

/**
 * Gives back what a filter holds for a request (an in-flight permit, body memory) when the request completes
 * asynchronously instead of before the filter returns: once, however it ends.
 */
final class ReleaseOnAsyncCompletion implements AsyncListener {

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
