package io.runway.gateway.browser;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What browsers may do across origins.
 *
 * @param allowedOrigins origins (scheme://host[:port]) of other browser apps allowed to call the run APIs and streams
 *     with credentials; none by default
 * @param maxAge how long a browser may cache a preflight answer
 */
@ConfigurationProperties("app.cors")
public record BrowserProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue("30m") Duration maxAge) {

    public BrowserProperties {
        allowedOrigins = allowedOrigins.stream()
                .map(String::trim)
                .filter(o -> !o.isEmpty())
                .toList();
        for (var origin : allowedOrigins) {
            if (origin.equals("*") || origin.endsWith("/")) {
                throw new IllegalStateException(
                        "app.cors.allowed-origins: list exact origins such as https://app.example.com (no '*', no trailing slash)");
            }
        }
    }
}
