package io.blockbuster.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.blockbuster.stream.DeliveryPolicy;
import java.io.IOException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * With no recording enabling them, the hub's Flight Recorder emitters allocate nothing: they run
 * on every subscribe, unsubscribe and poll. Counted with the per-thread allocation counter.
 */
class HubEventsAllocationTest {
    private static final int CALLS = 200_000;

    @Test
    void emittersAllocateNothingWhileNoRecordingEnablesThem() throws Exception {
        // Reflection: the test is compiled into the module, which does not read java.management.
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> api = Class.forName("com.sun.management.ThreadMXBean");
        assertThat(api.isInstance(mx) && (Boolean) api.getMethod("isThreadAllocatedMemoryEnabled").invoke(mx))
                .as("per-thread allocation counter").isTrue();
        Method allocatedBytes = api.getMethod("getThreadAllocatedBytes", long.class);
        IOException failure = new IOException("node down");
        Runnable round = () -> {
            for (int i = 0; i < 1000; i++) {
                HubEvents.subscribed("receipts", DeliveryPolicy.QUEUE, true);
                HubEvents.unsubscribed("receipts");
                HubEvents.slowConsumer("replies");
                HubEvents.pollEnded(HubEvents.pollStarted(), "receipts", failure);
            }
        };
        for (int i = 0; i < 50; i++) {
            round.run(); // warm up
        }
        long tid = Thread.currentThread().getId();
        long before = (Long) allocatedBytes.invoke(mx, tid);
        for (int i = 0; i < CALLS / 1000; i++) {
            round.run();
        }
        long allocated = (Long) allocatedBytes.invoke(mx, tid) - before;
        assertThat(allocated).as("bytes allocated by %d rounds of the four emitters", CALLS).isLessThan(CALLS);
    }
}
