package io.runway.common.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7Tests {

    @Test
    void idsOfLaterMillisecondsSortLater() {
        var earlier = UuidV7.at(1_700_000_000_000L, 4095);
        var later = UuidV7.at(1_700_000_000_001L, 0);

        assertThat(earlier.toString()).isLessThan(later.toString());
        assertThat(earlier.compareTo(later)).isNegative();
    }

    @Test
    void carriesVersionSevenAndTheRfcVariant() {
        var id = UuidV7.next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void idsOfOneMillisecondSortInTheOrderTheyWereMade() {
        var clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        var ids = new ArrayList<UUID>();
        for (int i = 0; i < 5_000; i++) {
            ids.add(UuidV7.next(clock));
        }

        assertThat(ids.stream().map(UUID::toString).toList()).isSorted().doesNotHaveDuplicates();
        assertThat(ids.get(0).getMostSignificantBits() >>> 16).isEqualTo(clock.millis());
    }
}
