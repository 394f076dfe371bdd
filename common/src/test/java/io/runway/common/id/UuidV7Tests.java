package io.runway.common.id;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UuidV7Tests {

    @Test
    void idsOfLaterMillisecondsSortLater() {
        var earlier = UuidV7.at(1_700_000_000_000L);
        var later = UuidV7.at(1_700_000_000_001L);

        assertThat(earlier.toString()).isLessThan(later.toString());
        assertThat(earlier.compareTo(later)).isNegative();
    }

    @Test
    void carriesVersionSevenAndTheRfcVariant() {
        var id = UuidV7.next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
    }
}
