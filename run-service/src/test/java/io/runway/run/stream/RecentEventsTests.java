package io.runway.run.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RecentEventsTests {

    private static final UUID RUN = UUID.randomUUID();

    private final RecentEvents recent = new RecentEvents(4);

    @Test
    void nothingIsServedUntilEveryEventUpToTheCommittedOneIsHeld() {
        assertThat(recent.after(0, 3)).isNull();
        recent.add(frames(1, 2));
        assertThat(recent.after(0, 3)).isNull();
        recent.add(frames(3, 3));
        assertThat(seqs(recent.after(0, 3))).containsExactly(1L, 2L, 3L);
        assertThat(seqs(recent.after(2, 3))).containsExactly(3L);
        assertThat(recent.after(3, 3)).isEmpty();
    }

    @Test
    void theOldestAreForgottenBeyondTheCapacity() {
        recent.add(frames(1, 6));
        assertThat(recent.after(0, 6)).isNull();
        assertThat(recent.after(1, 6)).isNull();
        assertThat(seqs(recent.after(2, 6))).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void aGapStartsANewStretchAndOlderEventsDoNotReopenIt() {
        recent.add(frames(1, 2));
        recent.add(frames(5, 5));
        assertThat(recent.after(0, 5)).isNull();
        assertThat(seqs(recent.after(4, 5))).containsExactly(5L);
        recent.add(frames(1, 4));
        assertThat(recent.after(2, 5)).isNull();
        recent.add(frames(5, 6));
        assertThat(seqs(recent.after(4, 6))).containsExactly(5L, 6L);
    }

    @Test
    void aReadThatFoundNothingAfterASequenceAnswersTheNextSubscriberWhoHasSeenAsMuch() {
        recent.nothingAfter(3);
        assertThat(recent.after(3, 3)).isEmpty();
        assertThat(recent.after(2, 3)).as("event 3 itself is not held").isNull();
        assertThat(recent.after(3, 4)).as("event 4 is committed but not held").isNull();
        recent.add(frames(4, 5));
        assertThat(seqs(recent.after(3, 5))).containsExactly(4L, 5L);
    }

    @Test
    void aReadThatFoundNothingDoesNotForgetEventsAddedSinceItStarted() {
        recent.add(frames(1, 4));
        recent.nothingAfter(3);
        assertThat(seqs(recent.after(2, 4))).containsExactly(3L, 4L);
    }

    @Test
    void aReplayReturnsTheSameEncodedFramesToEverySubscriber() {
        var delivered = frames(1, 2);
        recent.add(delivered);
        assertThat(recent.after(0, 2)).containsExactlyElementsOf(delivered);
        assertThat(recent.after(0, 2).get(0)).isSameAs(recent.after(0, 2).get(0));
    }

    private static List<EventFrames> frames(long from, long to) {
        return LongStream.rangeClosed(from, to)
                .mapToObj(seq -> new EventFrames(
                        new StoredEvent(RUN, seq, "step", "a", "running", 0, null, Instant.EPOCH, null), true))
                .toList();
    }

    private static List<Long> seqs(List<EventFrames> frames) {
        return frames.stream().map(frame -> frame.event().seq()).toList();
    }
}
