package io.warren.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.warren.it.support.Rabbitmqctl.MemoryWatermark;

/** How Rabbitmqctl reads what the CLI prints (no broker needed). */
class RabbitmqctlParsingTest {

    @Test
    void readsRelativeAndAbsoluteWatermarksAsTheCliPrintsThem() {
        assertThat(MemoryWatermark.parse("0.4\n")).isEqualTo(MemoryWatermark.relative(0.4));
        assertThat(MemoryWatermark.parse("{absolute,1073741824}")).isEqualTo(MemoryWatermark.absolute(1_073_741_824L));
        assertThat(MemoryWatermark.relative(0.4).arguments()).containsExactly("0.4");
        assertThat(MemoryWatermark.absolute(1024).arguments()).containsExactly("absolute", "1024");
    }

    @Test
    void rejectsWatermarksOutOfRangeOrUnreadable() {
        assertThatThrownBy(() -> MemoryWatermark.relative(1.5)).hasMessageContaining("within 0..1, was 1.5");
        assertThatThrownBy(() -> MemoryWatermark.absolute(-1)).hasMessageContaining(">= 0 bytes, was -1");
        assertThatThrownBy(() -> MemoryWatermark.parse("{error,nodedown}"))
                .hasMessageContaining("'{error,nodedown}'");
    }
}
