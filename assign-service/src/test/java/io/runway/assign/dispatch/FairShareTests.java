package io.runway.assign.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FairShareTests {

    @Test
    void smallRequestsGetAllTheyNeedAndTheBigOneTheRest() {
        var shares = FairShare.allocate(new long[] {100_000, 1, 2, 1}, 100);
        assertThat(shares).containsExactly(96, 1, 2, 1);
    }

    @Test
    void equalDemandsSplitEvenlyWithLeftoversInRotationOrder() {
        assertThat(FairShare.allocate(new long[] {50, 50, 50}, 10)).containsExactly(4, 3, 3);
    }

    @Test
    void fewerSlotsThanRequestsGoOneEachInRotationOrder() {
        assertThat(FairShare.allocate(new long[] {9, 9, 9, 9}, 2)).containsExactly(1, 1, 0, 0);
    }

    @Test
    void neverMoreThanWaitingNorMoreThanSlots() {
        var shares = FairShare.allocate(new long[] {3, 0, 2}, 100);
        assertThat(shares).containsExactly(3, 0, 2);
        assertThat(FairShare.total(FairShare.allocate(new long[] {1000, 1000}, 7)))
                .isEqualTo(7);
    }
}
