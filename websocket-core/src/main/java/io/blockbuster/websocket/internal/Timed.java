package io.blockbuster.websocket.internal;

/**
 * Something with at most one pending deadline in its loop's {@link TimerHeap}. A connection keeps
 * all its timers (handshake, idle, ping, pong, close) behind this single entry: when it fires, the
 * connection checks which of them are due and schedules the next one. Activity (a read) only
 * updates a timestamp and never touches the heap, so a busy connection costs no timer work.
 */
abstract class Timed {
    long deadlineNanos;
    int heapIndex = -1;

    /** Called on the loop thread when the deadline has passed. */
    abstract void onTimer(long nowNanos);
}
