package io.blockbuster.stream.protocol;

import java.math.BigDecimal;

/** The wire's {@code timestamp}: Unix seconds with millisecond precision, e.g. {@code 1764104700.123}. */
final class Timestamps {
    private Timestamps() {
    }

    /** {@code millis} as the number the wire carries. */
    static BigDecimal seconds(long millis) {
        return BigDecimal.valueOf(millis, 3);
    }

    /**
     * Seconds (with a fraction) to milliseconds; 0 when absent or out of {@code long} range. The
     * exponent is the sender's to choose, so nothing here may scale with it: {@code movePointRight}
     * on {@code 1e999999999} throws, and on {@code 1e99999999} builds a 40 MB power of ten.
     * {@code scaleByPowerOfTen} only moves the scale, and {@code precision() - scale()} counts the
     * integer digits without expanding; with none ({@code 1e-999999999}) the value is below one, and
     * {@code longValue()} is not asked, as it would divide by a power of ten of that size.
     */
    static long toMillis(Object value) {
        if (value instanceof BigDecimal d) {
            BigDecimal millis = d.scaleByPowerOfTen(3);
            int integerDigits = millis.precision() - millis.scale();
            return integerDigits > 18 || integerDigits <= 0 ? 0 : millis.longValue();
        }
        if (value instanceof Number n) {
            long seconds = n.longValue();
            return Math.abs(seconds) > Long.MAX_VALUE / 1000 ? 0 : seconds * 1000;
        }
        return 0;
    }
}
