package io.runway.gateway.console;

import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The Runway console (docs/console.md): {@code GET /console/**} serves the static files of {@code classpath:console/}
 * with a strict Content-Security-Policy, an ETag ({@code If-None-Match} → 304) and gzip when the browser accepts it;
 * {@code /} and {@code /console} redirect to {@code /console/}. Every path under {@code /console/} that is not a file
 * is the single page ({@code index.html}), so a reload of a deep link works.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleRoutes {

    /** Scripts, styles, images and connections only from this origin; no inline code, no framing, no plugins. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    RouterFunction<ServerResponse> consoleRouter() {
        var files = ConsoleFiles.load();
        return RouterFunctions.route()
                .GET("/", request -> redirect())
                .GET("/console", request -> redirect())
                .GET("/console/**", request -> serve(files, request))
                .build();
    }

    private static Mono<ServerResponse> redirect() {
        return ServerResponse.status(HttpStatus.FOUND)
                .location(URI.create("/console/"))
                .build();
    }

    private static Mono<ServerResponse> serve(ConsoleFiles files, ServerRequest request) {
        var name = request.path().substring("/console/".length());
        var file = name.isEmpty() || name.contains("..") ? null : files.get(name);
        boolean page = file == null;
        if (page) {
            if (name.contains(".")) {
                return ServerResponse.notFound().build();
            }
            file = files.get("index.html");
            if (file == null) {
                return ServerResponse.notFound().build();
            }
        }
        var chosen = file;
        var builder = ServerResponse.ok().headers(headers -> {
            headers.set("Content-Security-Policy", CSP);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "same-origin");
            headers.set("X-Frame-Options", "DENY");
            headers.setETag(chosen.etag());
            // Revalidated on every use: a deploy shows at once, and an unchanged file costs a 304.
            headers.setCacheControl("no-cache");
            headers.set(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        });
        var ifNoneMatch = request.headers().firstHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && ifNoneMatch.contains(chosen.etag())) {
            return ServerResponse.status(HttpStatus.NOT_MODIFIED)
                    .headers(headers -> {
                        headers.setETag(chosen.etag());
                        headers.setCacheControl("no-cache");
                    })
                    .build();
        }
        var acceptEncoding = request.headers().firstHeader(HttpHeaders.ACCEPT_ENCODING);
        if (chosen.gzipped() != null && acceptEncoding != null && acceptEncoding.contains("gzip")) {
            return builder.contentType(chosen.type())
                    .header(HttpHeaders.CONTENT_ENCODING, "gzip")
                    .bodyValue(chosen.gzipped());
        }
        return builder.contentType(chosen.type()).bodyValue(chosen.bytes());
    }
}
