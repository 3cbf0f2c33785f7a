package io.blockbuster.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * With no recording enabling them, the transport's Flight Recorder emitters allocate nothing: they
 * run on every connection's open and close, and the hot path stays allocation-free. Counted with
 * the per-thread allocation counter, as the codec's steady-state allocation test does.
 */
class TransportEventsAllocationTest {
    private static final int CALLS = 200_000;

    @Test
    void emittersAllocateNothingWhileNoRecordingEnablesThem() throws Exception {
        // Reflection: the test is compiled into the module, which reads neither java.management
        // nor jdk.management (as in protocol.SteadyStateAllocationTest).
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> api = Class.forName("com.sun.management.ThreadMXBean");
        assertThat(api.isInstance(mx) && (Boolean) api.getMethod("isThreadAllocatedMemoryEnabled").invoke(mx))
                .as("per-thread allocation counter").isTrue();
        Method allocatedBytes = api.getMethod("getThreadAllocatedBytes", long.class);
        InetSocketAddress remote = new InetSocketAddress("127.0.0.1", 4242);
        Runnable round = () -> {
            for (int i = 0; i < 1000; i++) {
                TransportEvents.opened(remote, null, true);
                TransportEvents.closed(remote, null, true, 1000, "done", true, i, i, i);
                TransportEvents.rejected(404, "no WebSocket endpoint at this path");
                TransportEvents.slowPeer(remote, i, 1008);
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
