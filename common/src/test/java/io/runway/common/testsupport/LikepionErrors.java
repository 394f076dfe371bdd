package io.runway.common.testsupport;

import org.springframework.test.web.reactive.server.WebTestClient;

/** Assertions on the LIKEPION error shape {@code {"success": false, "error": code, "message": …}}. */
public final class LikepionErrors {

    private LikepionErrors() {}

    /** The answer has this status and code, a message, and nothing internal (no stack trace). */
    public static void expectError(WebTestClient.ResponseSpec response, int status, String code) {
        response.expectStatus()
                .isEqualTo(status)
                .expectBody()
                .jsonPath("$.success")
                .isEqualTo(false)
                .jsonPath("$.error")
                .isEqualTo(code)
                .jsonPath("$.message")
                .isNotEmpty()
                .jsonPath("$.trace")
                .doesNotExist();
    }
}
