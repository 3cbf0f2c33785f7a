package io.blockbuster.websocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreparedMessageTest {
    static final String TEXT = "{\"v\":\"h\u00e9llo \u20ac \uD834\uDD1E\"}"; // 1-, 2-, 3- and 4-byte forms

    @Test
    void textUtf8CarriesTheEncodedBytesAsTheyAre() {
        byte[] utf8 = TEXT.getBytes(StandardCharsets.UTF_8);
        PreparedMessage m = PreparedMessage.textUtf8(ByteBuffer.wrap(utf8));
        assertThat(m.isText()).isTrue();
        assertThat(m.isText()).isTrue();
        assertThat(m.payloadLength()).isEqualTo(utf8.length);
        assertThat(m.payload()).isEqualTo(ByteBuffer.wrap(utf8));
        assertThat(m.payload()).isEqualTo(PreparedMessage.text(TEXT).payload());
    }

    @Test
    void textUtf8CopiesTheRemainingBytesAndLeavesTheSourceAlone() {
        byte[] backing = ("xx" + "abc" + "yy").getBytes(StandardCharsets.UTF_8);
        ByteBuffer src = ByteBuffer.wrap(backing, 2, 3);
        PreparedMessage m = PreparedMessage.textUtf8(src);
        backing[2] = 'Z';
        assertThat(src.position()).isEqualTo(2);
        assertThat(src.limit()).isEqualTo(5);
        assertThat(StandardCharsets.UTF_8.decode(m.payload()).toString()).isEqualTo("abc");
    }

    @Test
    void textUtf8AcceptsAnEmptyMessage() {
        assertThat(PreparedMessage.textUtf8(ByteBuffer.allocate(0)).payloadLength()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "c328",     // 2-byte lead followed by ASCII
        "c0af",     // overlong '/'
        "eda080",   // UTF-16 surrogate D800
        "f4908080", // above U+10FFFF
        "e282",     // truncated 3-byte form
        "ff"        // never valid
    })
    void textUtf8RejectsBytesThatAreNotUtf8(String hex) {
        ByteBuffer bad = ByteBuffer.wrap(java.util.HexFormat.of().parseHex(hex));
        assertThatThrownBy(() -> PreparedMessage.textUtf8(bad)).isInstanceOf(IllegalArgumentException.class);
    }
}
