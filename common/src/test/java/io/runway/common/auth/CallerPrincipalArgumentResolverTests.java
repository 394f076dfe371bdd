package io.runway.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.core.MethodParameter;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.test.StepVerifier;

class CallerPrincipalArgumentResolverTests {

    private final CallerPrincipalArgumentResolver resolver = new CallerPrincipalArgumentResolver();

    @SuppressWarnings("unused")
    void handler(CallerPrincipal caller, String other) {}

    @Test
    void resolvesTheVerifiedCallerOfTheExchange() throws NoSuchMethodException {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/x"));
        var caller = CallerPrincipal.server("srv-1", "tool");
        exchange.getAttributes().put(InternalAuthWebFilter.PRINCIPAL_ATTRIBUTE, caller);

        StepVerifier.create(resolver.resolveArgument(parameter(0), null, exchange))
                .expectNext(caller)
                .verifyComplete();
    }

    @Test
    void withoutAVerifiedCallerTheArgumentIsAnAuthenticationError() throws NoSuchMethodException {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/x"));

        StepVerifier.create(resolver.resolveArgument(parameter(0), null, exchange))
                .expectError(InvalidInternalTokenException.class)
                .verify();
    }

    @Test
    void supportsOnlyCallerPrincipalParameters() throws NoSuchMethodException {
        assertThat(resolver.supportsParameter(parameter(0))).isTrue();
        assertThat(resolver.supportsParameter(parameter(1))).isFalse();
    }

    private MethodParameter parameter(int index) throws NoSuchMethodException {
        var method = getClass().getDeclaredMethod("handler", CallerPrincipal.class, String.class);
        return new MethodParameter(method, index);
    }
}
