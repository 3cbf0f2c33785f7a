package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HttpHeaders as a flat field list: case-insensitive lookups, order of arrival, names deduplicated. */
class HttpHeadersTest {
    private final HttpHeaders headers = HttpHeaders.builder()
            .add("Host", "example.com")
            .add("X-A", "1")
            .add("Connection", "keep-alive, Upgrade")
            .add("x-a", "2")
            .add("X-A", "3")
            .build();

    @Test
    void lookupsIgnoreCaseAndKeepOrderOfArrival() {
        assertThat(headers.first("HOST")).isEqualTo("example.com");
        assertThat(headers.first("x-A")).isEqualTo("1");
        assertThat(headers.all("X-a")).containsExactly("1", "2", "3");
        assertThat(headers.all("host")).containsExactly("example.com");
        assertThat(headers.all("missing")).isEmpty();
        assertThat(headers.first("missing")).isNull();
    }

    @Test
    void namesAreFirstSpellingsInOrderOfFirstArrival() {
        assertThat(headers.names()).containsExactly("Host", "X-A", "Connection");
    }

    @Test
    void forEachPassesEveryFieldAsReceived() {
        List<String> seen = new ArrayList<>();
        headers.forEach((name, value) -> seen.add(name + "=" + value));
        assertThat(seen).containsExactly("Host=example.com", "X-A=1", "Connection=keep-alive, Upgrade", "x-a=2", "X-A=3");
    }

    @Test
    void hasTokenMatchesWholeTrimmedListElementsIgnoringCase() {
        assertThat(headers.hasToken("connection", "upgrade")).isTrue();
        assertThat(headers.hasToken("Connection", "KEEP-ALIVE")).isTrue();
        assertThat(headers.hasToken("Connection", "Upgrad")).isFalse();
        assertThat(headers.hasToken("Connection", "keep-alive, Upgrade")).isFalse();
        assertThat(headers.hasToken("Missing", "x")).isFalse();
        HttpHeaders odd = HttpHeaders.builder().add("C", "").add("C", " ,a ,\t b\t,").build();
        assertThat(odd.hasToken("c", "a")).isTrue();
        assertThat(odd.hasToken("c", "b")).isTrue();
        assertThat(odd.hasToken("c", "")).isTrue();
        assertThat(odd.hasToken("c", "ab")).isFalse();
    }

    @Test
    void resultsAreUnmodifiableAndTheBuilderCanGoOn() {
        HttpHeaders.Builder b = HttpHeaders.builder();
        for (int i = 0; i < 40; i++) {
            b.add("N" + i, "v" + i);
        }
        HttpHeaders first = b.build();
        b.add("N0", "again");
        assertThat(first.all("n0")).containsExactly("v0");
        assertThat(b.build().all("n0")).containsExactly("v0", "again");
        assertThat(first.first("N39")).isEqualTo("v39");
        assertThatThrownBy(() -> first.all("N0").add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> first.names().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(HttpHeaders.builder().build().names()).isEmpty();
    }
}
