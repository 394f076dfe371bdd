package io.runway.common.openapi;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.runway.common.auth.CallerPrincipal;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A service's OpenAPI description as its callers see it through the gateway: relative server URL, the credentials
 * each path accepts, and no trace of the internal {@link CallerPrincipal} the services resolve from the token.
 */
@AutoConfiguration
@ConditionalOnClass({OpenAPI.class, SpringDocUtils.class})
@EnableConfigurationProperties(PublicApiDocsProperties.class)
public class PublicApiDocsAutoConfiguration {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(CallerPrincipal.class);
    }

    @Bean
    OpenAPI publicApiDescription(PublicApiDocsProperties properties) {
        var components = new Components();
        properties.security().stream()
                .flatMap(rule -> rule.schemes().stream())
                .distinct()
                .forEach(scheme -> components.addSecuritySchemes(scheme.id(), scheme.scheme()));
        return new OpenAPI()
                .info(new Info()
                        .title(properties.title())
                        .description(properties.description())
                        .version(properties.version()))
                .servers(List.of(new Server().url("/").description("The gateway (the only public entry)")))
                .components(components);
    }

    /**
     * Schemas named as the wire names them: springdoc describes models with its own (Jackson 2) mapper, which does not
     * see the application's naming strategy.
     */
    @Bean
    @ConditionalOnProperty(name = "spring.jackson.property-naming-strategy", havingValue = "SNAKE_CASE")
    ModelResolver snakeCaseModels() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    @Bean
    OpenApiCustomizer publicSecurityRequirements(PublicApiDocsProperties properties) {
        return openApi -> openApi.getPaths().forEach((path, item) -> properties.security().stream()
                .filter(rule -> path.startsWith(rule.pathPrefix()))
                .findFirst()
                .ifPresent(rule -> {
                    var anyOf = rule.schemes().stream()
                            .map(scheme -> new SecurityRequirement().addList(scheme.id()))
                            .toList();
                    item.readOperations().forEach(operation -> operation.setSecurity(anyOf));
                }));
    }
}
