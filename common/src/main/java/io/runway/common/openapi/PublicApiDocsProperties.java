package io.runway.common.openapi;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service describes its public API: the description is read through the gateway, so it names the callers'
 * credentials, not the internal token the service itself checks.
 *
 * @param title the document's title
 * @param description what the API is for
 * @param version the API's version
 * @param security which credentials each group of paths accepts; the first rule whose prefix matches applies
 */
@ConfigurationProperties("app.openapi")
public record PublicApiDocsProperties(
        @DefaultValue("Runway API") String title,
        @DefaultValue("") String description,
        @DefaultValue("v1") String version,
        @DefaultValue List<SecurityRule> security) {

    /**
     * @param pathPrefix the paths the rule covers
     * @param schemes the credentials accepted there, any one of them
     */
    public record SecurityRule(String pathPrefix, List<PublicScheme> schemes) {}
}
