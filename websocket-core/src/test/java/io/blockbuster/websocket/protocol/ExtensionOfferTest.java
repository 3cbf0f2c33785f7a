package io.blockbuster.websocket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExtensionOfferTest {
    @Test
    void severalHeadersParametersAndQuotedStringsParseInOrder() {
        List<ExtensionOffer> offers = ExtensionOffer.parse(List.of(
                "permessage-deflate; client_max_window_bits, permessage-deflate; server_max_window_bits=10",
                "x-foo ; a = \"quoted \\\"value\\\"\" ;b=1,, ",
                "x-bar"));
        assertThat(offers).hasSize(4);
        assertThat(offers.get(0).name()).isEqualTo("permessage-deflate");
        assertThat(offers.get(0).parameters()).containsOnlyKeys("client_max_window_bits");
        assertThat(offers.get(0).parameters().get("client_max_window_bits")).isNull();
        assertThat(offers.get(1).parameters()).containsExactly(Map.entry("server_max_window_bits", "10"));
        assertThat(offers.get(2).name()).isEqualTo("x-foo");
        assertThat(offers.get(2).parameters()).containsExactly(Map.entry("a", "quoted \"value\""), Map.entry("b", "1"));
        assertThat(offers.get(3)).isEqualTo(new ExtensionOffer("x-bar", Map.of()));
    }

    @Test
    void emptyHeaderGivesNoOffers() {
        assertThat(ExtensionOffer.parse(List.of())).isEmpty();
        assertThat(ExtensionOffer.parse(List.of("", " , "))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"; a", "x;", "x; =1", "x; a=", "x; a=\"open", "x y", "x; a=1 2", "x; a=b=c", "x; a; a",
        "x/y", "x; a=\"v\"junk"})
    void malformedOffersAre400(String header) {
        assertThatThrownBy(() -> ExtensionOffer.parse(List.of(header)))
                .isInstanceOfSatisfying(HandshakeException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void headerValueRoundTrips() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("client_max_window_bits", null);
        params.put("server_max_window_bits", "10");
        params.put("note", "two words");
        ExtensionOffer offer = new ExtensionOffer("permessage-deflate", params);
        String header = offer.toHeaderValue();
        assertThat(header).isEqualTo("permessage-deflate; client_max_window_bits; server_max_window_bits=10; note=\"two words\"");
        assertThat(ExtensionOffer.parse(List.of(header))).containsExactly(offer);
    }

    @Test
    void parametersAreImmutable() {
        ExtensionOffer offer = new ExtensionOffer("x", new LinkedHashMap<>(Map.of("a", "1")));
        assertThatThrownBy(() -> offer.parameters().put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
    }
}
