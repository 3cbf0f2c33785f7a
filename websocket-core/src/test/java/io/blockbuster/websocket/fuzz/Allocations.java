package io.blockbuster.websocket.fuzz;

import java.lang.reflect.Method;

/**
 * Bytes allocated by the current thread (HotSpot's com.sun.management.ThreadMXBean), reached by
 * reflection because the patched test module does not read java.management. Returns -1 where the
 * JVM cannot tell, and the callers then skip the check.
 */
final class Allocations {
    private static final Object BEAN;
    private static final Method ALLOCATED;

    static {
        Object bean = null;
        Method allocated = null;
        try {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException | LinkageError e) {
            bean = null;
        }
        BEAN = bean;
        ALLOCATED = allocated;
    }

    private Allocations() {
    }

    static long currentThread() {
        if (BEAN == null) {
            return -1;
        }
        try {
            return (long) ALLOCATED.invoke(BEAN);
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }
}
