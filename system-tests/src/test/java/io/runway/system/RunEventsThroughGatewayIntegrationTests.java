package io.runway.system;

import static io.runway.system.RunClient.JSON;
import static io.runway.system.RunClient.anonymous;
import static io.runway.system.RunClient.bearer;
import static io.runway.system.RunClient.genericEvents;
import static io.runway.system.RunClient.internalToken;
import static io.runway.system.RunClient.socialKingSse;
import static org.assertj.core.api.Assertions.assertThat;

import io.runway.common.testsupport.Polling;
import io.runway.common.testsupport.SseRecorder;
import io.runway.common.testsupport.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import tools.jackson.databind.JsonNode;

/**
 * Live run events through the packaged gateway: runs execute on run-service instance A (started there directly with an
 * internal token), the gateway routes every run request to instance B, and a user with a JWT subscribes through the
 * gateway, so each event goes A → PostgreSQL and Redis → B → gateway → client. Real processes, PostgreSQL and Redis.
 */
@Timeout(60)
class RunEventsThroughGatewayIntegrationTests {

    @RegisterExtension
    static final SystemStack stack = SystemStack.gatewayAndRunServices(2);

    private static final String TENANT = "tenant-a";
    private static final Consumer<HttpHeaders> ON_A = internalToken(TestTokens.user("u1", TENANT));
    private static final Consumer<HttpHeaders> USER = bearer(SystemStack.userJwt("u1", TENANT));

    /** Events 1-3 at the start (queued, running, first running), 4-5 a second later; runs until stopped. */
    private static final String FIRST_THEN_HOLD =
            """
            {"name": "hold", "steps": [
              {"key": "first", "name": "First", "type": "delay", "dependsOn": [], "config": {"seconds": 1}},
              {"key": "hold", "name": "Hold", "type": "delay", "dependsOn": ["first"], "config": {"seconds": 600}}]}""";

    /** Ends by itself about a second after it starts, with nine events. */
    private static final String FIRST_THEN_TWO_LOGS =
            """
            {"name": "finishes", "steps": [
              {"key": "first", "name": "First", "type": "delay", "dependsOn": [], "config": {"seconds": 1}},
              {"key": "second", "name": "Second", "type": "log", "dependsOn": ["first"], "config": {}},
              {"key": "third", "name": "Third", "type": "log", "dependsOn": ["second"], "config": {}}]}""";

    RunClient a;
    RunClient b;
    RunClient bManagement;
    RunClient gateway;

    @BeforeEach
    void clients() {
        a = new RunClient(stack.runServiceUrl(0));
        b = new RunClient(stack.runServiceUrl(1));
        bManagement = new RunClient(stack.runServiceManagementUrl(1));
        gateway = new RunClient(stack.gatewayUrl());
    }

    @Test
    void runExecutedOnInstanceAStreamsThroughTheGatewayInOrderUntilItCompletesOnBothFaces() {
        var runId = a.startRun(ON_A, FIRST_THEN_TWO_LOGS, "{}");
        try (var generic = gateway.subscribe(genericEvents(runId), USER, null);
                var socialKing = gateway.subscribe(socialKingSse(runId), USER, null)) {
            assertThat(generic.headers().getContentType().isCompatibleWith(MediaType.TEXT_EVENT_STREAM))
                    .isTrue();
            assertThat(generic.headers().getFirst("X-Accel-Buffering")).isEqualTo("no");
            var genericEvents = generic.eventsUntilEnd();
            var socialKingEvents = socialKing.eventsUntilEnd();

            var committed = stack.committedSeqs(runId);
            assertThat(committed).isEqualTo(range(1, 9));
            assertThat(genericEvents).extracting(ServerSentEvent::id).isEqualTo(ids(committed));
            assertThat(genericEvents)
                    .allSatisfy(event ->
                            assertThat(data(event).path("seq").asLong()).isEqualTo(Long.parseLong(event.id())));
            var last = genericEvents.get(genericEvents.size() - 1);
            assertThat(last.event()).isEqualTo("run");
            assertThat(data(last).path("status").asString()).isEqualTo("completed");

            assertThat(socialKingEvents).isNotEmpty().allSatisfy(event -> {
                assertThat(event.event()).isEqualTo("status");
                assertThat(data(event).path("runId").asString()).isEqualTo(runId.toString());
            });
            var seen =
                    socialKingEvents.stream().map(e -> Long.parseLong(e.id())).toList();
            assertThat(seen).isSorted().doesNotHaveDuplicates().isSubsetOf(committed);
            var terminal = data(socialKingEvents.get(socialKingEvents.size() - 1));
            assertThat(seen.get(seen.size() - 1)).isEqualTo(9);
            assertThat(terminal.path("status").asString()).isEqualTo("completed");
            assertThat(terminal.path("progress").asInt()).isEqualTo(100);
        }
    }

    @Test
    void eventsReachTheGatewaySubscriberWhileTheRunIsStillRunningAndItsStopEndsTheStream() {
        double receivedByB = bManagement.metric("run_events_redis_received_total");
        var runId = a.startRun(ON_A, FIRST_THEN_HOLD, "{}");
        try (var generic = gateway.subscribe(genericEvents(runId), USER, null);
                var socialKing = gateway.subscribe(socialKingSse(runId), USER, null)) {
            assertThat(generic.nextIds(5)).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(a.status(runId, ON_A))
                    .as("run state after event 5 arrived")
                    .isEqualTo("running");
            assertThat(untilId(socialKing, 5).path("status").asString()).isEqualTo("running");
            assertThat(bManagement.metric("run_events_redis_received_total"))
                    .as("notifications B received from A through Redis")
                    .isGreaterThan(receivedByB);

            a.stop(runId, ON_A);

            var stepCanceled = generic.nextEvent();
            assertThat(stepCanceled.id()).isEqualTo("6");
            assertThat(data(stepCanceled).path("stepKey").asString()).isEqualTo("hold");
            assertThat(data(stepCanceled).path("status").asString()).isEqualTo("canceled");
            var runCanceled = generic.nextEvent();
            assertThat(runCanceled.id()).isEqualTo("7");
            assertThat(runCanceled.event()).isEqualTo("run");
            assertThat(data(runCanceled).path("status").asString()).isEqualTo("canceled");
            generic.awaitEnd();

            assertThat(untilId(socialKing, 7).path("status").asString()).isEqualTo("canceled");
            socialKing.awaitEnd();
        }
    }

    @Test
    void reconnectThroughTheGatewayWithLastEventIdGetsExactlyTheMissedEvents() {
        var runId = a.startRun(ON_A, FIRST_THEN_HOLD, "{}");
        try (var first = gateway.subscribe(genericEvents(runId), USER, null)) {
            assertThat(first.nextIds(3)).containsExactly(1L, 2L, 3L);
        }
        // events 4 and 5 committed while disconnected
        Polling.until(Duration.ofSeconds(15), () -> stack.committedSeqs(runId).size() >= 5);

        try (var resumed = gateway.subscribe(genericEvents(runId), USER, "3")) {
            assertThat(resumed.nextIds(2)).containsExactly(4L, 5L);
            a.stop(runId, ON_A);
            assertThat(resumed.eventsUntilEnd()).extracting(ServerSentEvent::id).containsExactly("6", "7");
        }
        assertThat(stack.committedSeqs(runId)).isEqualTo(range(1, 7));

        var atTheEnd = gateway.get(socialKingSse(runId), USER, MediaType.TEXT_EVENT_STREAM, "7");
        assertThat(atTheEnd.status()).as("resuming a finished run at its end").isEqualTo(204);
    }

    @Test
    void runOfAnotherTenantIsNotFoundThroughTheGatewayInEachFacesShape() {
        var runId = a.startRun(ON_A, FIRST_THEN_HOLD, "{}");
        var otherTenant = bearer(SystemStack.userJwt("u2", "tenant-b"));
        try {
            var socialKing = gateway.get(socialKingSse(runId), otherTenant, MediaType.TEXT_EVENT_STREAM);
            assertThat(socialKing.status()).isEqualTo(404);
            assertThat(socialKing.headers().getContentType().isCompatibleWith(MediaType.APPLICATION_JSON))
                    .isTrue();
            assertThat(socialKing.json().path("success").asBoolean(true)).isFalse();
            assertThat(socialKing.json().path("error").asString()).isEqualTo("not_found");

            var generic = gateway.get(genericEvents(runId), otherTenant, MediaType.TEXT_EVENT_STREAM);
            assertThat(generic.status()).isEqualTo(404);
            assertThat(generic.json().path("detail").asString()).isEqualTo("Run not found");
        } finally {
            a.stop(runId, ON_A);
        }
    }

    @Test
    void subscriberWithoutAValidJwtIsUnauthorizedByTheGatewayInEachFacesShape() {
        var runId = UUID.randomUUID();
        var forgedJwt =
                bearer(UserJwts.sign("another-secret-0123456789abcdef-012345", "u1", TENANT, Duration.ofHours(1)));
        var internalTokenFromOutside = internalToken(TestTokens.user("u1", TENANT));
        for (var credentials : List.of(anonymous(), forgedJwt, internalTokenFromOutside)) {
            var socialKing = gateway.get(socialKingSse(runId), credentials, MediaType.TEXT_EVENT_STREAM);
            assertThat(socialKing.status()).isEqualTo(401);
            assertThat(socialKing.json().path("success").asBoolean(true)).isFalse();
            assertThat(socialKing.json().path("error").asString()).isEqualTo("unauthorized");

            var generic = gateway.get(genericEvents(runId), credentials, MediaType.TEXT_EVENT_STREAM);
            assertThat(generic.status()).isEqualTo(401);
            assertThat(generic.json().path("detail").isString()).isTrue();
        }
    }

    /** Reads a SocialKing stream up to the event with the given id (earlier ones may be folded into its snapshot). */
    private static JsonNode untilId(SseRecorder stream, long id) {
        var event = stream.nextEvent();
        while (Long.parseLong(event.id()) < id) {
            event = stream.nextEvent();
        }
        assertThat(event.id()).isEqualTo(Long.toString(id));
        return data(event);
    }

    private static JsonNode data(ServerSentEvent<String> event) {
        return JSON.readTree(event.data());
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    private static List<String> ids(List<Long> seqs) {
        return seqs.stream().map(String::valueOf).toList();
    }
}
