package io.blockbuster.stream.internal;

import io.blockbuster.stream.DeliveryPolicy;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The hub's JDK Flight Recorder events: subscribe, unsubscribe, slow consumer disconnected, source
 * poll. They cost nothing unless a recording enables them: each emitter first asks a probe
 * instance whether its event type is enabled and returns before building anything (the allocation
 * test holds it to that). Names and fields are listed in docs/operations.md; keep them stable.
 */
final class HubEvents {
    private static final Subscribed SUBSCRIBED = new Subscribed();
    private static final Unsubscribed UNSUBSCRIBED = new Unsubscribed();
    private static final SlowConsumer SLOW_CONSUMER = new SlowConsumer();
    private static final SourcePoll SOURCE_POLL = new SourcePoll();

    private HubEvents() {
    }

    @Name("io.blockbuster.stream.Subscribed")
    @Label("Stream Subscribed")
    @Category({"blockbuster", "Stream Hub"})
    @Description("A hub connection subscribed to a stream")
    @StackTrace(false)
    static final class Subscribed extends Event {
        @Label("Stream")
        String stream;
        @Label("Policy")
        String policy;
        @Label("Resumed")
        @Description("The request asked to resume after a seq")
        boolean resumed;
    }

    @Name("io.blockbuster.stream.Unsubscribed")
    @Label("Stream Unsubscribed")
    @Category({"blockbuster", "Stream Hub"})
    @Description("A subscription ended: unsubscribed, or its connection closed")
    @StackTrace(false)
    static final class Unsubscribed extends Event {
        @Label("Stream")
        String stream;
    }

    @Name("io.blockbuster.stream.SlowConsumerDisconnected")
    @Label("Slow Consumer Disconnected")
    @Category({"blockbuster", "Stream Hub"})
    @Description("A connection read too slowly: a backlog overflowed and it was closed with 4000")
    @StackTrace(false)
    static final class SlowConsumer extends Event {
        @Label("Backlog")
        @Description("The stream whose queue overflowed, or \"replies\"")
        String backlog;
    }

    @Name("io.blockbuster.stream.SourcePoll")
    @Label("Source Poll")
    @Category({"blockbuster", "Stream Hub"})
    @Description("One poll of a polled or incremental source; its duration is the call's")
    @StackTrace(false)
    static final class SourcePoll extends Event {
        @Label("Stream")
        String stream;
        @Label("Outcome")
        @Description("ok or failed")
        String outcome;
        @Label("Error")
        String error;
    }

    static void subscribed(String stream, DeliveryPolicy policy, boolean resumed) {
        if (!SUBSCRIBED.isEnabled()) {
            return;
        }
        Subscribed e = new Subscribed();
        e.stream = stream;
        e.policy = policy.name();
        e.resumed = resumed;
        e.commit();
    }

    static void unsubscribed(String stream) {
        if (!UNSUBSCRIBED.isEnabled()) {
            return;
        }
        Unsubscribed e = new Unsubscribed();
        e.stream = stream;
        e.commit();
    }

    static void slowConsumer(String backlog) {
        if (!SLOW_CONSUMER.isEnabled()) {
            return;
        }
        SlowConsumer e = new SlowConsumer();
        e.backlog = backlog;
        e.commit();
    }

    /** A started poll event, or null when no recording wants one (then {@link #pollEnded} does nothing). */
    static SourcePoll pollStarted() {
        if (!SOURCE_POLL.isEnabled()) {
            return null;
        }
        SourcePoll e = new SourcePoll();
        e.begin();
        return e;
    }

    static void pollEnded(SourcePoll started, String stream, Throwable failure) {
        if (started == null) {
            return;
        }
        SourcePoll e = started;
        e.end();
        e.stream = stream;
        e.outcome = failure == null ? "ok" : "failed";
        e.error = failure == null ? null : SourceState.describe(failure);
        e.commit();
    }
}
