package io.blockbuster.websocket.deflate;

import java.lang.reflect.Method;

/**
 * Bytes allocated by the current thread (HotSpot's com.sun.management.ThreadMXBean). Reached by
 * reflection: test classes are compiled inside the module, which does not read java.management.
 */
final class AllocationMeter {
    private static final Object BEAN;
    private static final Method ALLOCATED;

    static {
        try {
            BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private AllocationMeter() {
    }

    static long allocatedBytes() {
        try {
            return (long) ALLOCATED.invoke(BEAN);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
