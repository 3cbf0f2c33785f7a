package io.blockbuster.websocket.deflate;

import io.blockbuster.websocket.protocol.ExtensionOffer;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters of one permessage-deflate offer or response, checked for syntax only
 * (RFC 7692 section 7.1): known names, no duplicates, no value where none is allowed, window
 * sizes written as a decimal 8 to 15 without leading zeros. Which combinations are acceptable is
 * decided by {@link PerMessageDeflate}, because the rules differ for offers and responses.
 */
final class OfferParameters {
    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";
    /** {@link #clientMaxWindowBits} when the parameter was present without a value. */
    static final int NO_VALUE = 0;
    /** Window size fields when the parameter was absent. */
    static final int ABSENT = -1;

    boolean serverNoContextTakeover;
    boolean clientNoContextTakeover;
    int serverMaxWindowBits = ABSENT;
    int clientMaxWindowBits = ABSENT;

    private OfferParameters() {
    }

    /**
     * Parses an offer's parameters.
     *
     * @throws IllegalArgumentException with a short reason if the parameters are not valid
     */
    static OfferParameters parse(ExtensionOffer offer) {
        OfferParameters p = new OfferParameters();
        for (Map.Entry<String, String> e : offer.parameters().entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            String value = e.getValue();
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER -> {
                    requireNoValue(name, value, p.serverNoContextTakeover);
                    p.serverNoContextTakeover = true;
                }
                case CLIENT_NO_CONTEXT_TAKEOVER -> {
                    requireNoValue(name, value, p.clientNoContextTakeover);
                    p.clientNoContextTakeover = true;
                }
                case SERVER_MAX_WINDOW_BITS -> {
                    requireFirst(name, p.serverMaxWindowBits != ABSENT);
                    if (value == null) {
                        // RFC 7692 7.1.2.1: this one always carries a value
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    p.serverMaxWindowBits = windowBits(name, value);
                }
                case CLIENT_MAX_WINDOW_BITS -> {
                    requireFirst(name, p.clientMaxWindowBits != ABSENT);
                    // RFC 7692 7.1.2.2: in an offer the value is optional
                    p.clientMaxWindowBits = value == null ? NO_VALUE : windowBits(name, value);
                }
                default -> throw new IllegalArgumentException("unknown parameter " + truncate(name));
            }
        }
        return p;
    }

    private static void requireNoValue(String name, String value, boolean seen) {
        requireFirst(name, seen);
        if (value != null) {
            throw new IllegalArgumentException(name + " takes no value");
        }
    }

    private static void requireFirst(String name, boolean seen) {
        // RFC 7692 7: an offer or response with a duplicated parameter is invalid
        if (seen) {
            throw new IllegalArgumentException("duplicate " + name);
        }
    }

    /** RFC 7692 7.1.2: 1*DIGIT without leading zeros, 8 to 15. */
    private static int windowBits(String name, String value) {
        int bits = switch (value) {
            case "8" -> 8;
            case "9" -> 9;
            case "10" -> 10;
            case "11" -> 11;
            case "12" -> 12;
            case "13" -> 13;
            case "14" -> 14;
            case "15" -> 15;
            default -> -1;
        };
        if (bits < 0) {
            throw new IllegalArgumentException(name + " must be 8 to 15");
        }
        return bits;
    }

    private static String truncate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40);
    }
}
