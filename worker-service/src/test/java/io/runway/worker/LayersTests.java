package io.runway.worker;

import io.runway.common.testsupport.PackageLayers;
import org.junit.jupiter.api.Test;

class LayersTests {

    @Test
    void packagesUseOnlyTheirOwnLayerAndLowerOnes() {
        PackageLayers.of(
                        WorkerServiceApplication.class,
                        "callback",
                        "heartbeat | task | log",
                        "server | event",
                        "web | config")
                .assertNoUpwardDependencies();
    }
}
