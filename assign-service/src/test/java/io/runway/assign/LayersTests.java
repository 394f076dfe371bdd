package io.runway.assign;

import io.runway.common.testsupport.PackageLayers;
import org.junit.jupiter.api.Test;

class LayersTests {

    @Test
    void packagesUseOnlyTheirOwnLayerAndLowerOnes() {
        PackageLayers.of(
                        AssignServiceApplication.class,
                        "feed | dispatch | link | request",
                        "account | server | site",
                        "setting | event",
                        "web | config")
                .assertNoUpwardDependencies();
    }
}
