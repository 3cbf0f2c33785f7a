package io.blockbuster.websocket.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class BufferPoolTest {

    @Test
    void reusesReturnedBuffersAndStaysBounded() {
        BufferPool pool = new BufferPool(1024, 2);
        ByteBuffer a = pool.acquire();
        ByteBuffer b = pool.acquire();
        ByteBuffer c = pool.acquire();
        a.put((byte) 1);
        pool.release(a);
        pool.release(b);
        pool.release(c);
        assertThat(pool.pooled()).isEqualTo(2);
        ByteBuffer again = pool.acquire();
        assertThat(again).isSameAs(b);
        assertThat(pool.acquire()).isSameAs(a);
        assertThat(a.position()).isZero();
        assertThat(a.remaining()).isEqualTo(1024);
        pool.release(ByteBuffer.allocate(10)); // a foreign size is never pooled
        assertThat(pool.pooled()).isZero();
    }
}
