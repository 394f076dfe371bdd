package io.runway.assign.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.runway.assign.TestData;
import io.runway.common.likepion.LikepionChannel;
import io.runway.common.testsupport.ApiDescription;
import io.runway.common.testsupport.RealInfrastructure;
import io.runway.common.testsupport.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The console's admin feed and bulk retry on real PostgreSQL and Redis (issue 13). */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"app.dispatcher.enabled=false", "app.feed.frame-interval=200ms"})
@AutoConfigureWebTestClient(timeout = "30s")
@RealInfrastructure
class AdminFeedIntegrationTests {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENT =
            new ParameterizedTypeReference<>() {};

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient db;

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Value("${app.redis.key-prefix}")
    String prefix;

    TestData data;

    @BeforeEach
    void reset() {
        data = new TestData(db);
        data.reset();
    }

    @Test
    void theFleetFeedStartsFullThenSendsTheServerAHeartbeatChanged() {
        var server = data.server("feed-s1", "tool", 8, 0);
        data.heartbeat(server, Instant.now(), 10);
        var announce = Flux.interval(Duration.ofMillis(200))
                .flatMap(tick -> redis.convertAndSend(
                        LikepionChannel.name(prefix),
                        "{\"type\":\"heartbeat\",\"server_id\":\"" + server + "\",\"at\":\"" + Instant.now() + "\"}"));

        StepVerifier.create(frames("fleet"))
                .assertNext(full -> {
                    assertThat(full.path("full").asBoolean()).isTrue();
                    assertThat(full.path("rows").get(0).path("name").asString()).isEqualTo("feed-s1");
                    assertThat(full.path("rows").get(0).path("max_threads").asInt())
                            .isEqualTo(8);
                })
                .then(() -> db.sql("UPDATE server_health SET cpu_usage = 55")
                        .then()
                        .thenMany(announce)
                        .take(Duration.ofSeconds(10))
                        .subscribe())
                .assertNext(change -> {
                    assertThat(change.path("full").asBoolean()).isFalse();
                    assertThat(change.path("rows")).hasSize(1);
                    assertThat(change.path("rows").get(0).path("cpu_usage").asDouble())
                            .isEqualTo(55.0);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(20));
    }

    @Test
    void theCampaignsFeedCountsLinksByStatusAndStaleOnes() {
        var request = data.request("entity", "running", 4, null);
        data.links(request, "entity", "completed", 2);
        data.links(request, "entity", "failed", 1);
        data.links(request, "entity", "running", 1);
        data.exec("UPDATE links SET started_at = now() - interval '1 hour' WHERE status = 'running'");
        data.exec("UPDATE requests SET created_links = 2 WHERE id = '" + request + "'");

        StepVerifier.create(frames("campaigns"))
                .assertNext(full -> {
                    var row = full.path("rows").get(0);
                    assertThat(row.path("id").asString()).isEqualTo(request.toString());
                    assertThat(row.path("counts").path("completed").asLong()).isEqualTo(2);
                    assertThat(row.path("counts").path("failed").asLong()).isEqualTo(1);
                    assertThat(row.path("total").asLong()).isEqualTo(4);
                    assertThat(row.path("progress").asDouble()).isEqualTo(50.0);
                    assertThat(row.path("stale").asLong()).isEqualTo(1);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(20));
    }

    @Test
    void theDispatcherFeedSendsAPointPerFrameWithThePendingLinks() {
        var request = data.request("entity", "pending", 0, null);
        data.links(request, "entity", "pending", 3);

        StepVerifier.create(frames("dispatcher"))
                .assertNext(full -> assertThat(
                                full.path("rows").get(0).path("pending").asLong())
                        .isEqualTo(3))
                .assertNext(next -> {
                    assertThat(next.path("full").asBoolean()).isFalse();
                    assertThat(next.path("rows")).hasSize(1);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(20));
    }

    @Test
    void anUnknownViewIsABadRequestAndAUserIsNoOperator() {
        client.get()
                .uri("/api/v1/admin/feed/everything")
                .header("X-Internal-Token", TestTokens.admin())
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(false)
                .jsonPath("$.message")
                .isEqualTo("view must be one of fleet, campaigns, dispatcher");
        client.get()
                .uri("/api/v1/admin/feed/fleet")
                .header("X-Internal-Token", TestTokens.user("u1", "t1"))
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void retryingARequestsFailedLinksPutsThemBackToPending() {
        var request = data.request("entity", "running", 0, null);
        data.links(request, "entity", "failed", 2);
        data.links(request, "entity", "completed", 1);

        retryFailed(request.toString())
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.updated")
                .isEqualTo(2)
                .jsonPath("$.more")
                .isEqualTo(false);
        assertThat(data.count("SELECT count(*) FROM links WHERE status = 'pending' AND retry_count = 1"))
                .isEqualTo(2);

        retryFailed(UUID.randomUUID().toString()).expectStatus().isNotFound();
        retryFailed("not-a-uuid")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.message")
                .isEqualTo("id must be a UUID");
    }

    @Test
    void theApiDescriptionListsTheFeedAndTheBulkRetry() {
        var paths = ApiDescription.of(client).path("paths");
        assertThat(paths.path("/api/v1/admin/feed/{view}")
                        .path("get")
                        .path("responses")
                        .toString())
                .contains("text/event-stream");
        assertThat(paths.has("/api/v1/admin/requests/{id}/retry-failed")).isTrue();
    }

    private WebTestClient.ResponseSpec retryFailed(String id) {
        return client.post()
                .uri("/api/v1/admin/requests/" + id + "/retry-failed")
                .header("X-Internal-Token", TestTokens.admin())
                .exchange();
    }

    private Flux<JsonNode> frames(String view) {
        return client.get()
                .uri("/api/v1/admin/feed/" + view)
                .header("X-Internal-Token", TestTokens.admin())
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(EVENT)
                .getResponseBody()
                .filter(event -> view.equals(event.event()))
                .map(event -> JsonMapper.shared().readTree(event.data()));
    }
}
