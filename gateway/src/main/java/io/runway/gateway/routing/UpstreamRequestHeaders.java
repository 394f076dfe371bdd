package io.runway.gateway.routing;

import io.runway.common.web.RequestIds;
import io.runway.gateway.auth.ForwardedIdentity;
import io.runway.gateway.tracing.ServerSpanPropagation;
import io.runway.gateway.tracing.ServerSpanPropagation.ForwardedTrace;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.cloud.gateway.filter.headers.ForwardedHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * The headers a request carries to its service, written in one pass over the caller's. Each of Spring Cloud Gateway's
 * header filters copied all headers, and so did the identity rewrite and the trace: five copies per request, where
 * this makes one. Left out of the copy:
 *
 * <ul>
 *   <li>hop-by-hop headers ({@code spring.cloud.gateway.server.webflux.filter.remove-hop-by-hop.headers}) and those the
 *       {@code Connection} header names;
 *   <li>{@code Forwarded} and {@code X-Forwarded-*}, as Spring Cloud Gateway does while no trusted proxy is set;
 *   <li>{@code Content-Length} beside {@code Transfer-Encoding: chunked} (RFC 9112, 6.3);
 *   <li>identity headers and raw credentials ({@link ForwardedIdentity}), and the headers the request id and the trace
 *       replace.
 * </ul>
 *
 * Then the internal token, the request id and the trace are added.
 */
final class UpstreamRequestHeaders implements HttpHeadersFilter, Ordered {

    private static final String X_FORWARDED = "X-Forwarded-";

    private final HopByHop hopByHop;
    private final Set<String> removed;
    private final boolean removeXForwarded;
    private final ForwardedIdentity identity;
    private final ServerSpanPropagation trace;

    /**
     * @param hopByHop the hop-by-hop headers
     * @param forwarded whether {@code Forwarded} is removed
     * @param xForwarded whether {@code X-Forwarded-*} are removed
     */
    record Removed(HopByHop hopByHop, boolean forwarded, boolean xForwarded) {}

    UpstreamRequestHeaders(Removed removed, ForwardedIdentity identity, ServerSpanPropagation trace) {
        var names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(identity.removedHeaders());
        if (removed.forwarded()) {
            names.add(ForwardedHeadersFilter.FORWARDED_HEADER);
        }
        this.hopByHop = removed.hopByHop();
        this.removed = names;
        this.removeXForwarded = removed.xForwarded();
        this.identity = identity;
        this.trace = trace;
    }

    @Override
    public HttpHeaders filter(HttpHeaders sent, ServerWebExchange exchange) {
        var requestId = RequestIds.of(exchange);
        var traced = trace == null ? ForwardedTrace.NONE : trace.of(exchange);
        var connectionOptions = hopByHop.connectionOptions(sent);
        boolean chunked = isChunked(sent.getFirst(HttpHeaders.TRANSFER_ENCODING));
        var forwarded = new HttpHeaders();
        sent.forEach((name, values) -> {
            if (removed.contains(name)
                    || traced.replacedHeaders().contains(name)
                    || (removeXForwarded && name.regionMatches(true, 0, X_FORWARDED, 0, X_FORWARDED.length()))
                    || (requestId != null && name.equalsIgnoreCase(RequestIds.HEADER))
                    || (chunked && name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH))
                    || hopByHop.removes(name, connectionOptions)) {
                return;
            }
            if (name.equalsIgnoreCase(HttpHeaders.COOKIE) && identity.sentTokenCookie(exchange)) {
                var others = identity.cookiesWithoutToken(exchange);
                if (others != null) {
                    forwarded.set(HttpHeaders.COOKIE, others);
                }
                return;
            }
            forwarded.put(name, new ArrayList<>(values));
        });
        identity.write(forwarded, exchange);
        if (requestId != null) {
            forwarded.set(RequestIds.HEADER, requestId);
        }
        traced.writer().accept(forwarded);
        return forwarded;
    }

    private static boolean isChunked(String transferEncoding) {
        return transferEncoding != null && "chunked".equalsIgnoreCase(transferEncoding.trim());
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
