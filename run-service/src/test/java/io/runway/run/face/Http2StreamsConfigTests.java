package io.runway.run.face;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServer;

class Http2StreamsConfigTests {

    @Test
    void aServerWithHttp2OffGetsTheStreamLimitAndStarts() {
        // SERVER_HTTP2_ENABLED=false: Boot sets no HTTP/2 settings; the service failed to start on this before
        var server = Http2StreamsConfig.withMaxConcurrentStreams(HttpServer.create(), 1000);

        assertThat(server.configuration().http2SettingsSpec().maxConcurrentStreams())
                .isEqualTo(1000);
    }

    @Test
    void theSettingsBootMadeAreKept() {
        var booted = HttpServer.create()
                .http2Settings(settings -> settings.maxHeaderListSize(16_384).initialWindowSize(1 << 20));

        var spec = Http2StreamsConfig.withMaxConcurrentStreams(booted, 1000)
                .configuration()
                .http2SettingsSpec();

        assertThat(spec.maxConcurrentStreams()).isEqualTo(1000);
        assertThat(spec.maxHeaderListSize()).isEqualTo(16_384);
        assertThat(spec.initialWindowSize()).isEqualTo(1 << 20);
    }
}
