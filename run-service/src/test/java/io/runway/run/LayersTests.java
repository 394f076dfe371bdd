package io.runway.run;

import io.runway.common.testsupport.PackageLayers;
import org.junit.jupiter.api.Test;

class LayersTests {

    @Test
    void packagesUseOnlyTheirOwnLayerAndLowerOnes() {
        PackageLayers.of(
                        RunServiceApplication.class,
                        "face.socialking | face.generic",
                        "face",
                        "app",
                        "engine | stream",
                        "runs",
                        "automation",
                        "config")
                .assertNoUpwardDependencies();
    }
}
