package io.streamrec.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrec.catalog.ItemCatalog;
import io.streamrec.model.ActorWeights;
import io.streamrec.model.StateRepresentation;
import org.junit.jupiter.api.Test;

/** actor.state.representation selects the DRR state module of the seeded weights (default ave-res). */
class StageSettingsTest {
    @Test
    void stateRepresentationComesFromTheConfiguration() {
        assertThat(StageSettings.actor(StreamrecConfig.defaults()).stateRepresentation())
                .isEqualTo(StateRepresentation.AVE_RES);
        for (StateRepresentation rep : StateRepresentation.values()) {
            var settings = StageSettings.actor(StreamrecConfig.fromArgs(
                    "--actor.state.representation",
                    rep.key(),
                    "--actor.embedding.dim",
                    "4",
                    "--actor.hidden.dim",
                    "6",
                    "--window.size",
                    "3"));
            assertThat(settings.stateRepresentation()).isEqualTo(rep);
            ActorWeights w = ActorWeights.seeded(settings, ItemCatalog.range(5));
            assertThat(w.stateRepresentation()).isEqualTo(rep);
            assertThat(w.tensorShape(ActorWeights.FC1_WEIGHT))
                    .containsExactly(6, rep == StateRepresentation.AVE || rep == StateRepresentation.AVE_RES ? 12 : 24);
        }
        assertThatThrownBy(() -> StreamrecConfig.fromArgs("--actor.state.representation", "x"))
                .hasMessageContaining("actor.state.representation");
    }
}
