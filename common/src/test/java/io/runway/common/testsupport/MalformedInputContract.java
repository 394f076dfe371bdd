package io.runway.common.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Malformed input to every endpoint a service publishes in its OpenAPI description, run by a {@code @SpringBootTest}
 * subclass in each module: bad path values, bad query values, bodies that are not JSON, JSON of the wrong shape, each
 * declared property with the wrong type, a NUL character, a number beyond any column, an unknown enum value, and a
 * body over the size limit. Every answer must be a 4xx in the service's error shape (never a 5xx, never a success for
 * a change) and the database must be exactly as it was.
 */
public abstract class MalformedInputContract {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String NUL = "\u0000";
    private static final String LONG = "x".repeat(70_000);
    /** How {@link #abbreviate} ends the description of a case carrying {@link #LONG} as a JSON text (quotes included). */
    private static final String LONG_MARK = "…(" + (LONG.length() + 2) + ")";
    /** Objects whose content is the caller's own (a step's or a site's config, a link's details): judged as a whole. */
    private static final Set<String> FREE_FORM = Set.of("config", "details");

    private static final List<String> BAD_PATH_VALUES = List.of(
            "not-a-uuid",
            "-1",
            "99999999999999999999999999",
            "0190f5c2-0000-7000-8000-00000000000g",
            "%00",
            "x".repeat(600));
    private static final List<String> BAD_QUERY_VALUES =
            List.of(NUL, "-1", "abc", "1e309", "99999999999999999999999999", "2026-13-45", LONG.substring(0, 3_000));
    private static final List<String> BAD_BODIES =
            List.of("{", "{\"a\":", "[]", "\"text\"", "12345", "null", NUL, "[".repeat(5_000) + "]".repeat(5_000));

    @Autowired
    protected WebTestClient client;

    @Autowired
    protected DatabaseClient db;

    @LocalServerPort
    int port;

    /** The internal token of a caller admitted to {@code path} (so that the input, not the caller, is judged). */
    protected abstract String tokenFor(String path);

    /**
     * A value for path variable {@code variable} of {@code template} that names an existing row, so that the body and
     * query are judged rather than refused as unknown; {@code null} for a fresh UUID.
     */
    protected String existingPathValue(String template, String variable) {
        return null;
    }

    /**
     * A valid body per operation ({@code "PUT /api/v1/x/{id}"}), for operations whose body the description does not
     * detail: each value in it, at any depth, is replaced in turn by values of the wrong kind.
     */
    protected Map<String, String> validBodies() {
        return Map.of();
    }

    /**
     * Operations ({@code "POST /api/v1/x"}) that take no body at all as a valid request, so a JSON {@code null} body
     * is not malformed there.
     */
    protected Set<String> operationsWithOptionalBody() {
        return Set.of();
    }

    /** The largest body the service accepts, in bytes; one byte more must be refused. */
    protected int maxBodyBytes() {
        return 1024 * 1024;
    }

    @Test
    void malformedInputToEveryPublishedEndpointIsRefusedWithA4xxAndChangesNothing() {
        var calls = client.mutate().responseTimeout(Duration.ofSeconds(60)).build();
        var document = ApiDescription.of(client);
        var before = databaseFingerprint();
        var failures = new ArrayList<String>();
        var accepted = new ArrayList<String>();
        var cases = 0;
        for (var path : document.path("paths").properties()) {
            for (var entry : path.getValue().properties()) {
                var method = HttpMethod.valueOf(entry.getKey().toUpperCase());
                for (var request : cases(document, method, path.getKey(), entry.getValue())) {
                    cases++;
                    var answer = send(calls, method, request);
                    if (answer.problem() != null) {
                        failures.add(answer.problem());
                    }
                    // Some answers are a 200 with per-item refusals (bulk updates): they too must change nothing.
                    if (answer.status() < 400 && method != HttpMethod.GET) {
                        accepted.add(answer.where());
                        var now = databaseFingerprint();
                        if (request.mayBeValid()) {
                            before = now;
                        } else if (!now.equals(before)) {
                            failures.add(answer.where() + ": accepted, and changed " + changedTables(before, now));
                            before = now;
                        }
                    }
                }
            }
        }
        assertThat(cases).as("cases generated from the OpenAPI description").isGreaterThan(20);
        assertThat(failures).as("answers to malformed input").isEmpty();
        // writes a service defers (the heartbeat buffer flushes each second) land before the last look
        LockSupport.parkNanos(Duration.ofMillis(1500).toNanos());
        assertThat(databaseFingerprint())
                .as("the database after %d malformed requests, of which these were answered 2xx: %s", cases, accepted)
                .isEqualTo(before);
    }

    /**
     * One request. A case that {@code mayBeValid} (a long text where the service may take free text) must not get a
     * 5xx, but may be accepted.
     */
    private record Case(String what, String uri, String token, MediaType contentType, String body, boolean mayBeValid) {

        Case(String what, String uri, String token, MediaType contentType, String body) {
            this(what, uri, token, contentType, body, false);
        }
    }

    private List<Case> cases(JsonNode document, HttpMethod method, String template, JsonNode operation) {
        var cases = new ArrayList<Case>();
        var parameters = operation.path("parameters");
        var streams = operation.path("responses").path("200").path("content").has("text/event-stream");
        var token = tokenFor(template);
        var valid = expand(template, parameters, null, null);
        for (var parameter : parameters) {
            var name = parameter.path("name").asString();
            if ("path".equals(parameter.path("in").asString())) {
                for (var bad : BAD_PATH_VALUES) {
                    var raw = bad.equals("%00") ? bad : UriUtils.encodePathSegment(bad, StandardCharsets.UTF_8);
                    cases.add(new Case(
                            "path " + name + "=" + abbreviate(bad),
                            expand(template, parameters, name, raw),
                            token,
                            null,
                            null));
                }
            } else if ("query".equals(parameter.path("in").asString()) && !streams) {
                for (var bad : BAD_QUERY_VALUES) {
                    var uri = valid + (template.contains("?") ? "&" : "?") + name + "="
                            + UriUtils.encodeQueryParam(bad, StandardCharsets.UTF_8);
                    cases.add(new Case("query " + name + "=" + abbreviate(bad), uri, token, null, null));
                }
            }
        }
        if (operation.has("requestBody")) {
            var uri = valid;
            for (var bad : BAD_BODIES) {
                if (bad.equals("null") && operationsWithOptionalBody().contains(method + " " + template)) {
                    continue;
                }
                cases.add(new Case("body " + abbreviate(bad), uri, token, MediaType.APPLICATION_JSON, bad));
            }
            cases.add(new Case("body as text/plain", uri, token, MediaType.TEXT_PLAIN, "{}"));
            cases.add(new Case(
                    "body over the limit",
                    uri,
                    token,
                    MediaType.APPLICATION_JSON,
                    "{\"a\":\"" + "x".repeat(maxBodyBytes()) + "\"}"));
            var example = validBodies().get(method + " " + template);
            var bodies = example != null
                    ? mutations(JSON.readTree(example))
                    : propertyMutations(
                            document,
                            resolve(
                                    document,
                                    operation
                                            .path("requestBody")
                                            .path("content")
                                            .path("application/json")
                                            .path("schema")));
            bodies.forEach((what, body) -> cases.add(
                    new Case(what, uri, token, MediaType.APPLICATION_JSON, body.toString(), what.endsWith(LONG_MARK))));
        }
        return cases;
    }

    /** Each declared property of a body schema, alone, with a value of the wrong kind. */
    private static Map<String, JsonNode> propertyMutations(JsonNode document, JsonNode schema) {
        var bodies = new LinkedHashMap<String, JsonNode>();
        for (var property : schema.path("properties").properties()) {
            var propertySchema = resolve(document, property.getValue());
            var type = propertySchema.path("type").asString();
            var sample =
                    switch (type) {
                        case "integer", "number" -> JSON.getNodeFactory().numberNode(1);
                        case "boolean" -> JSON.getNodeFactory().booleanNode(true);
                        case "array" -> JSON.createArrayNode().add("x");
                        case "object" -> JSON.createObjectNode();
                        default -> JSON.getNodeFactory().stringNode("x");
                    };
            for (var bad : wrongValues(sample)) {
                ObjectNode body = JSON.createObjectNode();
                body.set(property.getKey(), bad);
                bodies.put("property " + property.getKey() + "=" + abbreviate(bad.toString()), body);
            }
            if (propertySchema.has("enum")) {
                ObjectNode body = JSON.createObjectNode();
                body.put(property.getKey(), "no_such_value");
                bodies.put("property " + property.getKey() + "=no_such_value", body);
            }
        }
        return bodies;
    }

    /** The valid body with each of its values, at any depth, replaced in turn by values of the wrong kind. */
    private static Map<String, JsonNode> mutations(JsonNode valid) {
        var bodies = new LinkedHashMap<String, JsonNode>();
        mutate(valid, valid, "", bodies);
        return bodies;
    }

    private static void mutate(JsonNode root, JsonNode node, String pointer, Map<String, JsonNode> bodies) {
        if (!pointer.isEmpty()) {
            for (var bad : wrongValues(node)) {
                bodies.put(pointer + "=" + abbreviate(bad.toString()), replaced(root, pointer, bad));
            }
        }
        if (node.isObject() && !FREE_FORM.contains(pointer.substring(pointer.lastIndexOf('/') + 1))) {
            node.properties().forEach(child -> mutate(root, child.getValue(), pointer + "/" + child.getKey(), bodies));
        } else if (node.isArray() && !node.isEmpty()) {
            mutate(root, node.get(0), pointer + "/0", bodies);
        }
    }

    private static JsonNode replaced(JsonNode root, String pointer, JsonNode value) {
        var copy = root.deepCopy();
        var slash = pointer.lastIndexOf('/');
        var parent = copy.at(pointer.substring(0, slash));
        var key = pointer.substring(slash + 1);
        if (parent.isArray()) {
            ((tools.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(key), value);
        } else {
            ((ObjectNode) parent).set(key, value);
        }
        return copy;
    }

    /** Values of the wrong kind for where {@code sample} stands. */
    private static List<JsonNode> wrongValues(JsonNode sample) {
        var nodes = JSON.getNodeFactory();
        var values = new ArrayList<JsonNode>();
        if (sample.isString()) {
            values.add(JSON.createObjectNode().put("nested", 1));
            values.add(nodes.stringNode("a" + NUL + "b"));
            values.add(nodes.stringNode(LONG));
        } else if (sample.isNumber()) {
            values.add(nodes.stringNode("abc"));
            values.add(nodes.numberNode(new java.math.BigDecimal("1e39")));
            values.add(JSON.createArrayNode());
        } else if (sample.isBoolean()) {
            values.add(nodes.stringNode("maybe"));
        } else if (sample.isArray()) {
            values.add(JSON.createObjectNode().put("not", "a list"));
            if (!sample.isEmpty()) {
                var oversized = JSON.createArrayNode();
                for (int i = 0; i < 10_001; i++) {
                    oversized.add(sample.get(0));
                }
                values.add(oversized);
            }
        } else if (sample.isObject()) {
            values.add(nodes.stringNode("not an object"));
        }
        return values;
    }

    private record Answer(int status, String where, String problem) {}

    private static List<String> changedTables(Map<String, String> before, Map<String, String> after) {
        return after.keySet().stream()
                .filter(table -> !after.get(table).equals(before.get(table)))
                .toList();
    }

    private Answer send(WebTestClient calls, HttpMethod method, Case request) {
        var spec = calls.method(method)
                .uri(java.net.URI.create("http://127.0.0.1:" + port + request.uri()))
                .header("X-Internal-Token", request.token());
        var exchange = request.body() == null
                ? spec.exchange()
                : spec.contentType(request.contentType())
                        .bodyValue(request.body())
                        .exchange();
        var result = exchange.expectBody(String.class).returnResult();
        var status = result.getStatus().value();
        var body = result.getResponseBody();
        var where = method + " " + request.uri().replaceAll("x{50,}", "x…") + " (" + request.what() + "): " + status;
        if (status >= 500) {
            return new Answer(status, where, where + " " + abbreviate(String.valueOf(body)));
        }
        if (status >= 400 && (body == null || !body.startsWith("{"))) {
            return new Answer(status, where, where + ": no JSON error body");
        }
        return new Answer(status, where, null);
    }

    /** The template with every path variable named {@code raw} replaced by its raw text, the others by existing values. */
    private String expand(String template, JsonNode parameters, String raw, String rawValue) {
        var uri = template;
        for (var parameter : parameters) {
            if ("path".equals(parameter.path("in").asString())) {
                var name = parameter.path("name").asString();
                var existing = existingPathValue(template, name);
                var value = name.equals(raw)
                        ? rawValue
                        : UriUtils.encodePathSegment(
                                existing != null ? existing : UUID.randomUUID().toString(), StandardCharsets.UTF_8);
                uri = uri.replace("{" + name + "}", value);
            }
        }
        return uri;
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        var ref = schema.path("$ref").asString("");
        if (ref.startsWith("#/components/schemas/")) {
            return document.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
        }
        return schema;
    }

    private static String abbreviate(String value) {
        var printable = value.replace(NUL, "\\0");
        return printable.length() > 40 ? printable.substring(0, 40) + "…(" + printable.length() + ")" : printable;
    }

    /** One digest per table of the service's database, over every row. */
    private Map<String, String> databaseFingerprint() {
        var tables = db.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                        + " AND tablename NOT LIKE 'flyway%' ORDER BY tablename")
                .map(row -> row.get("tablename", String.class))
                .all()
                .collectList()
                .block(Duration.ofSeconds(30));
        var fingerprint = new LinkedHashMap<String, String>();
        for (var table : tables) {
            fingerprint.put(
                    table,
                    db.sql(
                                    "SELECT count(*) || ':' || coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '')"
                                            + " AS digest FROM \"" + table + "\" t")
                            .map(row -> row.get("digest", String.class))
                            .one()
                            .block(Duration.ofSeconds(30)));
        }
        return fingerprint;
    }
}
